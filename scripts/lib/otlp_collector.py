"""A minimal OTLP/HTTP trace collector for the tracing rehearsal: accepts
POST /v1/traces (protobuf), writes one JSON line per span to OUT.
Usage: otlp_collector.py PORT OUT"""
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

port, out = int(sys.argv[1]), sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path != "/v1/traces":
            self.send_response(404)
            self.end_headers()
            return
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        with open(out, "a") as file:
            for resource_spans in request.resource_spans:
                resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        file.write(json.dumps({
                            "service": resource.get("service.name"), "version": resource.get("service.version"),
                            "trace_id": span.trace_id.hex(), "parent_span_id": span.parent_span_id.hex(),
                            "name": span.name, "kind": span.kind,
                            "attributes": {a.key: a.value.string_value or a.value.int_value for a in span.attributes},
                        }) + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


print("ready", flush=True)
HTTPServer(("127.0.0.1", port), Handler).serve_forever()
