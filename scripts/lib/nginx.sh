# nginx on loopback in front of CleanStation instances, for the rehearsals.
# Source it after pg.sh. Everything lives in NGINX_DIR; the upstream block is
# a file of its own, rewritten by `upstream` and taken up by `reload`.

# nginx_setup DIR PORT: writes the configuration (X-Forwarded-For passed on, as in deploy/nginx).
nginx_setup() {
    need nginx nginx
    NGINX_DIR=$1
    mkdir -p "$NGINX_DIR/logs"
    cat >"$NGINX_DIR/nginx.conf" <<CONF
worker_processes 2;
pid nginx.pid;
error_log logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path tmp-body;
    proxy_temp_path tmp-proxy;
    fastcgi_temp_path tmp-fastcgi;
    uwsgi_temp_path tmp-uwsgi;
    scgi_temp_path tmp-scgi;
    include upstream.conf;
    server {
        listen 127.0.0.1:$2;
        location / {
            proxy_pass http://cleanstation;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        }
    }
}
CONF
}

# upstream PORT[:down] ...: the instances nginx may send requests to.
upstream() {
    {
        echo "upstream cleanstation {"
        for entry in "$@"; do
            if [[ $entry == *:down ]]; then echo "    server 127.0.0.1:${entry%:down} down;"; else echo "    server 127.0.0.1:$entry max_fails=0;"; fi
        done
        echo "    keepalive 16;"
        echo "}"
    } >"$NGINX_DIR/upstream.conf"
}

nginx_start() {
    nginx -p "$NGINX_DIR" -c nginx.conf -t -q
    nginx -p "$NGINX_DIR" -c nginx.conf
}

nginx_stop() {
    [ -n "${NGINX_DIR:-}" ] && [ -f "$NGINX_DIR/nginx.pid" ] && nginx -p "$NGINX_DIR" -c nginx.conf -s stop 2>/dev/null || true
}

# reload: new workers take the new upstream; returns once every old worker has
# finished its requests and exited, so that nothing is sent to a removed instance.
reload() {
    local master old
    master=$(cat "$NGINX_DIR/nginx.pid")
    old=$(pgrep -P "$master" | tr '\n' ' ')
    nginx -p "$NGINX_DIR" -c nginx.conf -s reload
    for _ in $(seq 400); do
        local alive=""
        for pid in $old; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ -z "$alive" ] && return 0
        sleep 0.05
    done
    echo "old nginx workers did not drain" >&2
    return 1
}
