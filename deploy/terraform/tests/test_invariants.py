#!/usr/bin/env python3
"""Invariants of deploy/terraform, checked on the parsed HCL (python-hcl2).

Terraform itself is not available where this runs, so these tests do two
jobs: a small `terraform validate` (every reference resolves, every module
argument is a declared variable, the two environments hold the same code)
and the security and sizing rules the deployment guide sets (the database
admits only the application tier, every bucket blocks public access, the
task role names only its own resources, ...).

Each rule is a `check_*` function that raises AssertionError; the `Mutation`
tests feed some of them a deliberately broken copy of the code and expect
them to fail, so a check that silently stops matching is noticed.

Run: scripts/iac-check.sh, or `python -m unittest discover -s
deploy/terraform/tests` with python-hcl2 installed.
"""

from __future__ import annotations

import functools
import re
import unittest
from pathlib import Path

import hcl2

ROOT = Path(__file__).resolve().parents[1]
ENVS = ("staging", "production")
OPTIONS = hcl2.SerializationOptions(
    with_comments=False, explicit_blocks=False, strip_string_quotes=True, preserve_heredocs=False
)
MODULE_META_ARGUMENTS = {"source", "version", "count", "for_each", "providers", "depends_on"}

# Environment variable -> parameter path under the environment's prefix (ops.md).
EXPECTED_PARAMETERS = {
    "DATABASE_URL": "database/url",
    "DATABASE_READONLY_URL": "database/readonly_url",
    "JWT_PRIVATE_KEY": "jwt/private_key",
    "JWT_PUBLIC_KEY": "jwt/public_key",
    "ENCRYPTION_KEY": "encryption/key",
    "SMTP_URL": "smtp/credentials",
    "AUDIT_SIGNING_KEY": "audit/signing_key",
    "DATABASE_MIGRATION_URL": "database/migration_url",
}
# Given to the migration task only (ADR 009).
MIGRATION_ONLY = ["DATABASE_MIGRATION_URL"]


# --- Loading ---------------------------------------------------------------------------


def parse_text(text: str) -> dict:
    return hcl2.loads(text, serialization_options=OPTIONS)


def parse_file(path: Path) -> dict:
    return parse_text(path.read_text())


class Config:
    """The blocks of one Terraform directory (a module or a root), merged."""

    def __init__(self, documents: list[dict], path: Path | None = None):
        self.path = path
        self.resources: dict[tuple[str, str], dict] = {}
        self.data: dict[tuple[str, str], dict] = {}
        self.variables: dict[str, dict] = {}
        self.outputs: dict[str, dict] = {}
        self.locals: dict[str, object] = {}
        self.modules: dict[str, dict] = {}
        self.terraform: list[dict] = []
        self.providers: list[dict] = []
        for doc in documents:
            for kind, target in (("resource", self.resources), ("data", self.data)):
                for block in doc.get(kind, []):
                    for rtype, named in block.items():
                        for name, body in named.items():
                            assert (rtype, name) not in target, f"{kind} {rtype}.{name} declared twice"
                            target[(rtype, name)] = body
            for kind, target in (("variable", self.variables), ("output", self.outputs), ("module", self.modules)):
                for block in doc.get(kind, []):
                    for name, body in block.items():
                        assert name not in target, f"{kind} {name} declared twice"
                        target[name] = body
            for block in doc.get("locals", []):
                for name, value in block.items():
                    assert name not in self.locals, f"local {name} declared twice"
                    self.locals[name] = value
            self.terraform += doc.get("terraform", [])
            self.providers += doc.get("provider", [])

    @classmethod
    def from_dir(cls, directory: Path) -> "Config":
        return cls([parse_file(p) for p in sorted(directory.glob("*.tf"))], directory)

    @classmethod
    def from_texts(cls, *texts: str) -> "Config":
        return cls([parse_text(t) for t in texts])

    def resource(self, rtype: str, name: str) -> dict:
        assert (rtype, name) in self.resources, f"resource {rtype}.{name} missing"
        return self.resources[(rtype, name)]

    def of_type(self, rtype: str) -> dict[str, dict]:
        return {name: body for (t, name), body in self.resources.items() if t == rtype}

    def default(self, variable: str):
        assert variable in self.variables, f"variable {variable} missing"
        return self.variables[variable].get("default")

    def configuration_aliases(self) -> set[str]:
        aliases = set()
        for block in self.terraform:
            for providers in block.get("required_providers", []):
                for spec in providers.values():
                    for alias in spec.get("configuration_aliases", []):
                        aliases.add(unwrap(alias))
        return aliases


@functools.lru_cache(maxsize=None)
def load_dir(directory: Path) -> Config:
    return Config.from_dir(directory.resolve())


def module(name: str) -> Config:
    return load_dir(ROOT / "modules" / name)


def env(name: str) -> Config:
    return load_dir(ROOT / "envs" / name)


@functools.lru_cache(maxsize=None)
def tfvars(name: str) -> dict:
    return parse_file(ROOT / "envs" / name / "terraform.tfvars")


def source_files(*patterns: str) -> list[Path]:
    """Files under deploy/terraform, without Terraform's working directories."""
    return sorted(p for pattern in patterns for p in ROOT.rglob(pattern) if ".terraform" not in p.parts)


def terraform_dirs() -> list[Path]:
    return sorted({p.parent for p in source_files("*.tf") if "tests" not in p.parts})


def module_dirs() -> list[Path]:
    return sorted(p for p in (ROOT / "modules").iterdir() if p.is_dir())


# --- Expression helpers -----------------------------------------------------------------


def unwrap(value) -> str:
    """'${var.x}' -> 'var.x'; templates such as '${a}-${b}' and plain strings unchanged."""
    if not (isinstance(value, str) and value.startswith("${") and value.endswith("}")):
        return value
    depth = 0
    for i, ch in enumerate(value[1:], 1):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0 and i != len(value) - 1:
            return value  # the first interpolation closes early: a template
    return value[2:-1]


def strings(value):
    """Every string inside a parsed value (keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def expressions(value):
    return [s for s in strings(value) if "${" in s]


def refers_to(value, reference: str) -> bool:
    return any(re.search(r"(?<![\w.])" + re.escape(reference) + r"\b", s) for s in expressions(value))


def blocks(body: dict, name: str) -> list[dict]:
    found = body.get(name, [])
    return found if isinstance(found, list) else [found]


def one_block(body: dict, name: str) -> dict:
    found = blocks(body, name)
    assert len(found) == 1, f"expected one {name} block, found {len(found)}"
    return found[0]


def ignored_changes(body: dict) -> set[str]:
    return {unwrap(x) for lc in blocks(body, "lifecycle") for x in lc.get("ignore_changes", [])}


# --- Checks (raise AssertionError) ---------------------------------------------------


def check_database_admits_only_app_tier(net: Config) -> None:
    db = net.resource("aws_security_group", "db")
    assert not blocks(db, "ingress") and not blocks(db, "egress"), "db group must not have inline rules"
    assert not net.of_type("aws_security_group_rule"), "use aws_vpc_security_group_*_rule resources only"
    ingress = {
        name: rule
        for name, rule in net.of_type("aws_vpc_security_group_ingress_rule").items()
        if unwrap(rule.get("security_group_id")) == "aws_security_group.db.id"
    }
    assert ingress, "the database group admits nothing at all"
    for name, rule in ingress.items():
        assert unwrap(rule.get("referenced_security_group_id")) == "aws_security_group.app.id", (
            f"db ingress {name} must come from the app security group only"
        )
        for source in ("cidr_ipv4", "cidr_ipv6", "prefix_list_id"):
            assert source not in rule, f"db ingress {name} admits {source}={rule[source]}"
        assert unwrap(rule.get("from_port")) == "var.db_port" == unwrap(rule.get("to_port")), (
            f"db ingress {name} must be the PostgreSQL port only"
        )
        assert rule.get("ip_protocol") == "tcp"
    egress = [
        name
        for name, rule in net.of_type("aws_vpc_security_group_egress_rule").items()
        if unwrap(rule.get("security_group_id")) == "aws_security_group.db.id"
    ]
    assert not egress, f"the database needs no egress: {egress}"


def check_app_admits_only_alb(net: Config) -> None:
    app = net.resource("aws_security_group", "app")
    assert not blocks(app, "ingress"), "app group must not have inline rules"
    ingress = {
        name: rule
        for name, rule in net.of_type("aws_vpc_security_group_ingress_rule").items()
        if unwrap(rule.get("security_group_id")) == "aws_security_group.app.id"
    }
    assert ingress, "the application group admits nothing"
    for name, rule in ingress.items():
        assert unwrap(rule.get("referenced_security_group_id")) == "aws_security_group.alb.id", (
            f"app ingress {name} must come from the load balancer only"
        )
        assert "cidr_ipv4" not in rule and "cidr_ipv6" not in rule and "prefix_list_id" not in rule
        assert unwrap(rule.get("from_port")) == "var.app_port" == unwrap(rule.get("to_port"))


def check_buckets_block_public_access(cfg: Config) -> None:
    buckets = cfg.of_type("aws_s3_bucket")
    blocks_by_bucket = {
        unwrap(body.get("bucket")): body for body in cfg.of_type("aws_s3_bucket_public_access_block").values()
    }
    for name in buckets:
        pab = blocks_by_bucket.get(f"aws_s3_bucket.{name}.id") or blocks_by_bucket.get(f"aws_s3_bucket.{name}[0].id")
        assert pab is not None, f"bucket {name} has no public access block"
        for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
            assert pab.get(flag) is True, f"bucket {name}: {flag} must be true"
    for name, policy in cfg.of_type("aws_s3_bucket_policy").items():
        doc = unwrap(policy["policy"])
        match = re.fullmatch(r"data\.aws_iam_policy_document\.(\w+)\.json", doc)
        assert match, f"bucket policy {name} must come from an aws_iam_policy_document"
        statements = blocks(cfg.data[("aws_iam_policy_document", match.group(1))], "statement")
        for st in statements:
            for principal in blocks(st, "principals"):
                if st.get("effect", "Allow") == "Allow":
                    assert "*" not in principal.get("identifiers", []), f"bucket policy {name} allows everyone"
        assert any(
            st.get("effect") == "Deny"
            and any(c.get("variable") == "aws:SecureTransport" for c in blocks(st, "condition"))
            for st in statements
        ), f"bucket policy {name} must deny requests without TLS"


def policy_statements(cfg: Config, document: str) -> list[dict]:
    body = cfg.data[("aws_iam_policy_document", document)]
    statements = list(blocks(body, "statement"))
    for source in body.get("source_policy_documents", []):
        match = re.fullmatch(r"data\.aws_iam_policy_document\.(\w+)\.json", unwrap(source))
        assert match, f"{document}: unexpected source document {source}"
        statements += policy_statements(cfg, match.group(1))
    return statements


# The only resource expressions the task role may name.
OWN_RESOURCES = {
    "var.documents_bucket_arns",
    '[for b in var.documents_bucket_arns : "${b}/*"]',
    '[for b in var.documents_bucket_arns : "${b}/audit-checkpoints/*"]',
    "local.parameter_arns",
    "local.kms_key_arns",
}


def check_task_role_names_only_own_resources(sec: Config) -> None:
    attached = [
        p for p in sec.of_type("aws_iam_role_policy").values() if unwrap(p.get("role")) == "aws_iam_role.task.id"
    ]
    assert len(attached) == 1, "the task role has exactly one inline policy"
    assert unwrap(attached[0]["policy"]) == "data.aws_iam_policy_document.task.json"
    for att in sec.of_type("aws_iam_role_policy_attachment").values():
        assert "aws_iam_role.task" not in unwrap(att.get("role", "")), "no managed policies on the task role"
    for st in policy_statements(sec, "task"):
        assert st.get("effect", "Allow") == "Allow"
        resources = st.get("resources")
        assert isinstance(resources, str), f"statement {st.get('sid')}: resources must be one of the own-resource lists"
        assert unwrap(resources) in OWN_RESOURCES, f"statement {st.get('sid')} names {resources}"
        for action in st.get("actions", []):
            assert "*" not in action, f"statement {st.get('sid')}: wildcard action {action}"
            assert "Delete" not in action, f"statement {st.get('sid')}: the application never deletes ({action})"
        if unwrap(resources) == "local.kms_key_arns":
            assert any(c.get("variable") == "kms:ViaService" for c in blocks(st, "condition")), (
                f"statement {st.get('sid')}: key use must be limited to SSM/S3 via kms:ViaService"
            )
    arns = unwrap(sec.locals["parameter_arns"])
    assert ":parameter${var.parameter_prefix}/*" in arns, "parameters are limited to the environment's own path"
    assert "aws_kms_key.main.arn" in unwrap(sec.locals["kms_key_arns"])


# --- Tests: parsing and structure ---------------------------------------------------------


class Parsing(unittest.TestCase):
    def test_every_file_parses(self):
        files = source_files("*.tf", "*.tfvars", "*.hcl")
        self.assertGreater(len(files), 30)
        for path in files:
            with self.subTest(path=str(path.relative_to(ROOT))):
                parse_file(path)

    def test_expected_layout(self):
        self.assertEqual(
            {p.name for p in module_dirs()},
            {"network", "alb", "ecs", "rds", "storage", "dns", "secrets", "monitoring", "bootstrap"},
        )
        for name in ENVS:
            self.assertTrue((ROOT / "envs" / name / "terraform.tfvars").is_file())
            self.assertTrue((ROOT / "envs" / name / "backend.hcl").is_file())


class References(unittest.TestCase):
    """What `terraform validate` would catch first."""

    def test_references_resolve(self):
        for directory in terraform_dirs():
            cfg = load_dir(directory)
            children = {name: load_dir(directory / body["source"]) for name, body in cfg.modules.items()}
            for text in {e for bucket in (cfg.resources, cfg.data, cfg.outputs, cfg.modules) for e in expressions(bucket)} | set(
                expressions(cfg.locals)
            ):
                where = f"{directory.relative_to(ROOT)}: {text[:90]}"
                for name in re.findall(r"(?<![\w.])var\.([A-Za-z_][\w-]*)", text):
                    self.assertIn(name, cfg.variables, f"undeclared var.{name} in {where}")
                for name in re.findall(r"(?<![\w.])local\.([A-Za-z_][\w-]*)", text):
                    self.assertIn(name, cfg.locals, f"undeclared local.{name} in {where}")
                for rtype, name in re.findall(r"(?<![\w.])data\.([a-z]\w*)\.([A-Za-z_][\w-]*)", text):
                    self.assertIn((rtype, name), cfg.data, f"undeclared data.{rtype}.{name} in {where}")
                for rtype, name in re.findall(r"(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)", text):
                    self.assertIn((rtype, name), cfg.resources, f"undeclared {rtype}.{name} in {where}")
                for name, output in re.findall(r"(?<![\w.])module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)", text):
                    self.assertIn(name, children, f"undeclared module.{name} in {where}")
                    self.assertIn(output, children[name].outputs, f"module {name} has no output {output} ({where})")

    def test_module_calls_match_module_variables(self):
        for directory in terraform_dirs():
            cfg = load_dir(directory)
            for name, call in cfg.modules.items():
                child = load_dir(directory / call["source"])
                arguments = set(call) - MODULE_META_ARGUMENTS
                with self.subTest(module=f"{directory.relative_to(ROOT)}:{name}"):
                    self.assertFalse(arguments - set(child.variables), "arguments the module does not declare")
                    required = {v for v, body in child.variables.items() if "default" not in body}
                    self.assertFalse(required - arguments, "required module variables not passed")
                    passed = {unwrap(k) for k in call.get("providers", {})}
                    self.assertFalse(child.configuration_aliases() - passed, "aliased providers not passed")

    def test_variables_and_outputs_are_documented(self):
        for directory in terraform_dirs():
            cfg = load_dir(directory)
            for name, body in cfg.variables.items():
                with self.subTest(variable=f"{directory.relative_to(ROOT)}:{name}"):
                    self.assertTrue(body.get("description"), "variable without description")
                    self.assertIn("type", body, "variable without type")
            for name, body in cfg.outputs.items():
                with self.subTest(output=f"{directory.relative_to(ROOT)}:{name}"):
                    self.assertTrue(body.get("description"), "output without description")


class Environments(unittest.TestCase):
    def test_environments_differ_only_in_variables(self):
        staging, production = ROOT / "envs" / "staging", ROOT / "envs" / "production"
        shared = ROOT / "envs" / "shared"
        names = sorted(p.name for p in shared.glob("*.tf"))
        for directory in (staging, production):
            self.assertEqual(sorted(p.name for p in directory.glob("*.tf")), names)
            for name in names:
                # Each environment's Terraform is the shared files themselves (symlinks); only tfvars and backend differ.
                self.assertTrue((directory / name).is_symlink(), f"{directory.name}/{name} is not a link to envs/shared")
                self.assertEqual((directory / name).resolve(), (shared / name).resolve())
        self.assertEqual(set(tfvars("staging")), set(tfvars("production")), "both tfvars set the same variables")
        backends = [parse_file(ROOT / "envs" / e / "backend.hcl") for e in ENVS]
        for e, backend in zip(ENVS, backends):
            self.assertEqual(backend["key"], f"cleanstation/{e}/terraform.tfstate")
        self.assertEqual({k: v for k, v in backends[0].items() if k != "key"}, {k: v for k, v in backends[1].items() if k != "key"})

    def test_tfvars_match_declared_variables(self):
        for e in ENVS:
            cfg, values = env(e), tfvars(e)
            with self.subTest(env=e):
                self.assertFalse(set(values) - set(cfg.variables), "tfvars set undeclared variables")
                required = {v for v, body in cfg.variables.items() if "default" not in body}
                self.assertFalse(required - set(values), "required variables missing from tfvars")

    def test_environment_table(self):
        prod, stag = tfvars("production"), tfvars("staging")
        self.assertEqual(prod["environment"], "production")
        self.assertEqual(prod["domain_name"], "cleanstation.torvan.com")
        self.assertEqual(prod["task_count"], 3)
        self.assertEqual(prod["db_instance_class"], "db.r6g.xlarge")
        self.assertIs(prod["db_multi_az"], True)
        self.assertEqual(prod["db_allocated_storage"], 500)
        # gp3 from 400 GiB has a 12,000 IOPS baseline (the guide's 3,000 is met); RDS rejects iops=3000 there.
        self.assertIsNone(prod["db_iops"])
        self.assertIs(prod["db_read_replica_enabled"], True)
        self.assertEqual(prod["db_replica_instance_class"], "db.r6g.large")
        self.assertIs(prod["detailed_monitoring"], True)
        self.assertEqual(prod["log_group_name"], "/aws/ecs/cleanstation")
        self.assertEqual(stag["environment"], "staging")
        self.assertEqual(stag["domain_name"], "staging.cleanstation.torvan.com")
        self.assertEqual(stag["task_count"], 1)
        self.assertEqual(stag["db_instance_class"], "db.t3.medium")
        self.assertIs(stag["detailed_monitoring"], False)
        for e, values in (("production", prod), ("staging", stag)):
            self.assertEqual(values["dr_region"], "us-west-2")
            self.assertEqual(values["db_backup_retention_days"], 30)
            self.assertTrue(values["parameter_prefix"].startswith("/cleanstation/"))
            self.assertIs(values["dr_failover"], False, f"{e}: the failover switch stays off in the committed tfvars")

    def test_remote_state_backend(self):
        for e in ENVS:
            backend = [b for t in env(e).terraform for b in t.get("backend", [])]
            self.assertEqual(backend, [{"s3": {}}], "partial S3 backend, completed by backend.hcl")
            hcl = parse_file(ROOT / "envs" / e / "backend.hcl")
            self.assertEqual(hcl["dynamodb_table"], "cleanstation-terraform-locks")
            self.assertIs(hcl["encrypt"], True)


# --- Tests: security and sizing ---------------------------------------------------------


class Network(unittest.TestCase):
    def test_database_admits_only_app_tier(self):
        check_database_admits_only_app_tier(module("network"))

    def test_app_admits_only_load_balancer(self):
        check_app_admits_only_alb(module("network"))

    def test_load_balancer_admits_only_http_and_https(self):
        net = module("network")
        rules = [
            r
            for r in net.of_type("aws_vpc_security_group_ingress_rule").values()
            if unwrap(r["security_group_id"]) == "aws_security_group.alb.id"
        ]
        self.assertEqual(sorted((r["from_port"], r["to_port"]) for r in rules), [(80, 80), (443, 443)])

    def test_app_egress_is_limited(self):
        net = module("network")
        for name, rule in net.of_type("aws_vpc_security_group_egress_rule").items():
            with self.subTest(rule=name):
                self.assertNotEqual(rule.get("ip_protocol"), "-1", "no all-protocol egress")
                self.assertIn("from_port", rule)

    def test_three_private_subnets_and_one_nat(self):
        net = module("network")
        validation = net.variables["availability_zones"]["validation"][0]["condition"]
        self.assertIn("length(var.availability_zones) == 3", validation)
        self.assertEqual(unwrap(net.resource("aws_subnet", "private")["count"]), "local.az_count")
        self.assertEqual(unwrap(net.resource("aws_subnet", "public")["count"]), "local.az_count")
        self.assertIs(net.resource("aws_subnet", "public")["map_public_ip_on_launch"], False)
        self.assertEqual(unwrap(net.resource("aws_nat_gateway", "this")["count"]), "var.enable_nat_gateway ? 1 : 0")
        self.assertIn("aws_subnet.public[0].id", unwrap(net.resource("aws_nat_gateway", "this")["subnet_id"]))
        for e in ENVS:
            call = env(e).modules["network"]
            self.assertEqual(unwrap(call["availability_zones"]), "var.availability_zones")
            self.assertEqual(len(env(e).default("availability_zones")), 3)
        # Tasks and the database sit in the private subnets; the load balancer in the public ones.
        root = env("production").modules
        self.assertEqual(unwrap(root["ecs"]["subnet_ids"]), "module.network.private_subnet_ids")
        self.assertEqual(unwrap(root["rds"]["subnet_ids"]), "module.network.private_subnet_ids")
        self.assertEqual(unwrap(root["alb"]["subnet_ids"]), "module.network.public_subnet_ids")
        self.assertEqual(unwrap(root["rds"]["security_group_id"]), "module.network.db_security_group_id")
        self.assertEqual(unwrap(root["ecs"]["security_group_id"]), "module.network.app_security_group_id")


class Storage(unittest.TestCase):
    def test_every_bucket_blocks_public_access(self):
        for name in ("storage", "bootstrap"):
            with self.subTest(module=name):
                check_buckets_block_public_access(module(name))

    def test_every_bucket_is_versioned_encrypted_and_owner_enforced(self):
        for name in ("storage", "bootstrap"):
            cfg = module(name)
            for kind, check in (
                ("aws_s3_bucket_versioning", lambda b: one_block(b, "versioning_configuration")["status"] == "Enabled"),
                ("aws_s3_bucket_server_side_encryption_configuration", lambda b: bool(one_block(b, "rule"))),
                ("aws_s3_bucket_ownership_controls", lambda b: one_block(b, "rule")["object_ownership"] == "BucketOwnerEnforced"),
            ):
                covered = {unwrap(b["bucket"]) for b in cfg.of_type(kind).values() if check(b)}
                for bucket in cfg.of_type("aws_s3_bucket"):
                    with self.subTest(module=name, bucket=bucket, kind=kind):
                        self.assertTrue(
                            {f"aws_s3_bucket.{bucket}.id", f"aws_s3_bucket.{bucket}[0].id"} & covered, f"{kind} missing"
                        )

    def test_document_bucket(self):
        cfg = module("storage")
        sse = one_block(cfg.resource("aws_s3_bucket_server_side_encryption_configuration", "documents"), "rule")
        default = one_block(sse, "apply_server_side_encryption_by_default")
        self.assertEqual(default["sse_algorithm"], "aws:kms")
        self.assertEqual(unwrap(default["kms_master_key_id"]), "var.kms_key_arn")
        rule = one_block(cfg.resource("aws_s3_bucket_lifecycle_configuration", "documents"), "rule")
        transitions = {t["storage_class"]: unwrap(t["days"]) for t in blocks(rule, "transition")}
        self.assertEqual(transitions, {"STANDARD_IA": "var.infrequent_access_after_days", "GLACIER_IR": "var.glacier_after_days"})
        self.assertEqual(cfg.default("infrequent_access_after_days"), 30)
        self.assertEqual(cfg.default("glacier_after_days"), 90)
        replication = cfg.resource("aws_s3_bucket_replication_configuration", "documents")
        self.assertEqual(unwrap(replication["count"]), "var.replication_enabled ? 1 : 0")
        self.assertEqual(cfg.default("replication_enabled"), False)
        self.assertEqual(unwrap(cfg.resource("aws_s3_bucket", "replica")["provider"]), "aws.dr")
        # Deletions in the primary region do not reach the DR copy.
        self.assertEqual(one_block(one_block(replication, "rule"), "delete_marker_replication")["status"], "Disabled")
        for e in ENVS:
            self.assertEqual(unwrap(env(e).modules["storage"]["replication_enabled"]), "var.dr_documents_replication")

    def test_audit_checkpoints_are_locked(self):
        # ADR 009: the application writes each checkpoint with a compliance-mode retention.
        cfg = module("storage")
        for bucket in ("documents", "replica"):
            lock = cfg.resource("aws_s3_bucket_object_lock_configuration", bucket)
            self.assertEqual(lock["object_lock_enabled"], "Enabled")
            self.assertIn(f"aws_s3_bucket.{bucket}", unwrap(lock["bucket"]))
            self.assertNotIn("rule", lock, "no default retention: documents follow their lifecycle")
            # Enabled by its own resource: the bucket's attribute would replace an existing bucket.
            self.assertNotIn("object_lock_enabled", cfg.resource("aws_s3_bucket", bucket))
        statements = policy_statements(module("secrets"), "documents")
        [retention] = [st for st in statements if "s3:PutObjectRetention" in st["actions"]]
        self.assertEqual(retention["actions"], ["s3:PutObjectRetention"])
        self.assertEqual(unwrap(retention["resources"]), '[for b in var.documents_bucket_arns : "${b}/audit-checkpoints/*"]')
        condition = one_block(retention, "condition")
        self.assertEqual(condition["variable"], "s3:object-lock-remaining-retention-days")
        self.assertEqual([unwrap(v) for v in condition["values"]], ["tostring(var.audit_checkpoint_lock_days)"])
        for forbidden in ("s3:DeleteObject", "s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutBucketObjectLockConfiguration"):
            self.assertFalse(any(forbidden in st["actions"] for st in policy_statements(module("secrets"), "documents")))
        shared = env("production")
        self.assertIn("AUDIT_CHECKPOINT_LOCK_DAYS", shared.locals["app_environment"])
        self.assertGreaterEqual(shared.default("audit_checkpoint_lock_days"), 1)

    def test_cloudfront_serves_assets_over_https_from_a_private_origin(self):
        cfg = module("storage")
        dist = cfg.resource("aws_cloudfront_distribution", "assets")
        self.assertEqual(one_block(dist, "default_cache_behavior")["viewer_protocol_policy"], "redirect-to-https")
        self.assertEqual(one_block(dist, "viewer_certificate")["minimum_protocol_version"], "TLSv1.2_2021")
        self.assertIn("origin_access_control_id", one_block(dist, "origin"))


class Identity(unittest.TestCase):
    def test_task_role_names_only_its_own_resources(self):
        check_task_role_names_only_own_resources(module("secrets"))

    def test_execution_role_uses_star_only_for_the_ecr_token(self):
        for st in policy_statements(module("secrets"), "execution"):
            with self.subTest(sid=st.get("sid")):
                if st.get("resources") == ["*"]:
                    self.assertEqual(st["actions"], ["ecr:GetAuthorizationToken"])
                for action in st["actions"]:
                    self.assertNotIn("*", action)

    def test_parameters_are_names_only(self):
        sec = module("secrets")
        self.assertEqual(sec.locals["parameters"], EXPECTED_PARAMETERS)
        for name in ("secret", "secret_dr"):
            param = sec.resource("aws_ssm_parameter", name)
            with self.subTest(parameter=name):
                self.assertEqual(param["name"], "${var.parameter_prefix}/${each.value}")
                self.assertEqual(param["type"], "SecureString")
                self.assertEqual(unwrap(param["value"]), "local.placeholder")
                self.assertIn("value", ignored_changes(param))
        self.assertTrue(sec.locals["placeholder"].startswith("UNSET"))

    def test_no_long_lived_access_key(self):
        """S3 is signed with the task role's temporary credentials (ADR 014): no IAM user or access key anywhere."""
        for directory in terraform_dirs():
            cfg = Config.from_dir(directory)
            for rtype in ("aws_iam_user", "aws_iam_access_key", "aws_iam_user_policy", "aws_iam_user_group_membership"):
                with self.subTest(directory=directory.name, type=rtype):
                    self.assertEqual(cfg.of_type(rtype), {})
        for name in EXPECTED_PARAMETERS:
            self.assertFalse(name.startswith("S3_"), name)

    def test_task_definition_maps_every_secret(self):
        for e in ENVS:
            call = env(e).modules["ecs"]
            self.assertEqual(unwrap(call["secrets"]), "module.secrets.parameter_arns")
            dr = env(e).modules["ecs_dr"]
            self.assertEqual(unwrap(dr["secrets"]), "module.secrets.dr_parameter_arns")
        ecs = module("ecs")
        self.assertIn("valueFrom = var.secrets[k]", unwrap(ecs.locals["migrate_secrets"]))
        self.assertIn("!contains(var.migration_only_secrets, s.name)", unwrap(ecs.locals["secrets"]))
        self.assertEqual(ecs.default("migration_only_secrets"), MIGRATION_ONLY)
        self.assertNotIn("secrets", ecs.locals["common_container"])
        self.assertEqual(unwrap(ecs.locals["common_container"]["environment"]), "local.environment")
        # The serving tasks never hold the schema owner's credentials; the migration task does.
        for container, secrets in (("app_container", "local.secrets"), ("migrate_container", "local.migrate_secrets")):
            self.assertTrue(unwrap(ecs.locals[container]).startswith("merge(local.common_container,"))
            self.assertIn(f"secrets = {secrets}", unwrap(ecs.locals[container]))
        base = env("production").locals["app_environment"]
        for variable in ("ENVIRONMENT", "PORT", "HOST", "LOG_LEVEL", "APP_VERSION", "OTEL_EXPORTER_OTLP_ENDPOINT", "TRUSTED_PROXIES"):
            self.assertIn(variable, base)
        for variable in ("S3_BUCKET", "S3_REGION"):
            self.assertIn(variable, unwrap(env("production").modules["ecs"]["environment_variables"]))


class LoadBalancerAndService(unittest.TestCase):
    def test_https_listener_and_redirect(self):
        alb = module("alb")
        https = alb.resource("aws_lb_listener", "https")
        self.assertEqual((https["port"], https["protocol"]), (443, "HTTPS"))
        self.assertTrue(https["ssl_policy"].startswith("ELBSecurityPolicy-TLS13"))
        http = alb.resource("aws_lb_listener", "http")
        redirect = one_block(one_block(http, "default_action"), "redirect")
        self.assertEqual((redirect["protocol"], redirect["port"], redirect["status_code"]), ("HTTPS", "443", "HTTP_301"))

    def test_blue_green_target_groups_check_readiness(self):
        alb = module("alb")
        self.assertEqual(set(alb.locals["colors"]), {"blue", "green"})
        tg = alb.resource("aws_lb_target_group", "app")
        self.assertEqual(unwrap(tg["for_each"]), "local.colors")
        health = one_block(tg, "health_check")
        self.assertEqual(unwrap(health["path"]), "var.health_check_path")
        self.assertEqual(alb.default("health_check_path"), "/api/ready")
        self.assertEqual(tg["target_type"], "ip")
        for e in ENVS:
            self.assertEqual(env(e).modules["alb"]["health_check_path"], "/api/ready")
            self.assertEqual(env(e).locals["container_port"], 3000)

    def test_switch_rule_belongs_to_the_script(self):
        rule = module("alb").resource("aws_lb_listener_rule", "app")
        self.assertIn("action", ignored_changes(rule))
        action = one_block(rule, "action")
        self.assertEqual(action["type"], "forward")
        self.assertEqual(unwrap(action["target_group_arn"]), 'aws_lb_target_group.app["blue"].arn')
        self.assertEqual(one_block(one_block(rule, "condition"), "path_pattern")["values"], ["/*"])
        # Nothing in front of it but /metrics (blocked) and the explicit colour headers.
        alb = module("alb")
        priorities = {name: body["priority"] for name, body in alb.of_type("aws_lb_listener_rule").items()}
        self.assertEqual(priorities["app"], 100)
        self.assertLess(priorities["metrics"], priorities["app"])
        self.assertEqual(alb.resource("aws_lb_listener_rule", "metrics")["action"][0]["type"], "fixed-response")

    def test_services_roll_back_and_stay_private(self):
        ecs = module("ecs")
        service = ecs.resource("aws_ecs_service", "app")
        self.assertEqual(unwrap(service["for_each"]), "local.colors")
        breaker = one_block(service, "deployment_circuit_breaker")
        self.assertIs(breaker["enable"], True)
        self.assertIs(breaker["rollback"], True)
        self.assertIs(one_block(service, "network_configuration")["assign_public_ip"], False)
        self.assertEqual(service["launch_type"], "FARGATE")
        self.assertTrue({"desired_count", "task_definition"} <= ignored_changes(service))
        # Created idle: only the release script (after the migration) starts tasks.
        self.assertEqual(service["desired_count"], 0)
        target = ecs.resource("aws_appautoscaling_target", "app")
        self.assertEqual((target["min_capacity"], target["max_capacity"]), (0, 0))
        self.assertTrue(all(one_block(target, "suspended_state").values()))
        self.assertTrue({"min_capacity", "max_capacity", "suspended_state"} <= ignored_changes(target))
        for e in ENVS:
            self.assertEqual(unwrap(env(e).modules["ecs"]["min_capacity"]), "var.task_count")
        self.assertEqual(service["name"], "${var.family}-${each.key}")
        self.assertEqual(ecs.default("family"), "cleanstation")
        task = ecs.resource("aws_ecs_task_definition", "app")
        self.assertEqual(task["requires_compatibilities"], ["FARGATE"])
        common = ecs.locals["common_container"]
        self.assertIs(common["readonlyRootFilesystem"], True)
        self.assertEqual(unwrap(common["mountPoints"]), "local.mount_points")
        self.assertEqual(set(ecs.locals["volumes"].values()), {"/app/data", "/var/log/cleanstation", "/tmp"})
        self.assertNotEqual(ecs.default("container_user").split(":")[0], "0", "the container does not run as root")
        self.assertEqual(task["network_mode"], "awsvpc")
        self.assertNotEqual(unwrap(task["execution_role_arn"]), unwrap(task["task_role_arn"]))
        app = unwrap(ecs.locals["app_container"])
        self.assertIn('logDriver = "awslogs"', app)
        self.assertIn("containerPort = var.container_port", app)
        self.assertIn("/api/health", app)
        self.assertEqual(unwrap(ecs.locals["log_options"]["awslogs-group"]), "aws_cloudwatch_log_group.app.name")
        migrate = ecs.resource("aws_ecs_task_definition", "migrate")
        self.assertEqual(ecs.default("migrate_command"), ["migrate"])
        self.assertEqual(unwrap(migrate["container_definitions"]), "jsonencode([local.migrate_container])")

    def test_auto_scaling_on_cpu_and_schedule(self):
        ecs = module("ecs")
        policy = ecs.resource("aws_appautoscaling_policy", "cpu")
        config = one_block(policy, "target_tracking_scaling_policy_configuration")
        metric = one_block(config, "predefined_metric_specification")
        self.assertEqual(metric["predefined_metric_type"], "ECSServiceAverageCPUUtilization")
        for name in ("off_hours", "business_hours"):
            action = ecs.resource("aws_appautoscaling_scheduled_action", name)
            self.assertIn("var.schedule.enabled", unwrap(action["for_each"]))
        for e in ENVS:
            self.assertIs(tfvars(e)["off_hours"]["enabled"], True)
            self.assertIn("MON-FRI", tfvars(e)["off_hours"]["scale_up_cron"])

    def test_outputs_for_blue_green_and_migrations(self):
        needed = {
            "region", "cluster_name", "service_names", "listener_rule_arn", "target_group_arns",
            "task_family", "migrate_task_family", "migrate_task_definition_arn",
            "run_task_subnet_ids", "run_task_security_group_id", "container_name", "scaling", "ecr_repository_url",
        }
        for e in ENVS:
            self.assertFalse(needed - set(env(e).outputs), f"{e}: outputs missing")
        self.assertEqual(
            unwrap(env("production").outputs["run_task_security_group_id"]["value"]),
            "local.live_network.app_security_group_id",
        )


class Database(unittest.TestCase):
    def test_primary(self):
        rds = module("rds")
        db = rds.resource("aws_db_instance", "primary")
        self.assertEqual(db["engine"], "postgres")
        self.assertEqual(rds.default("engine_version"), "15")
        self.assertIs(db["storage_encrypted"], True)
        self.assertEqual(db["storage_type"], "gp3")
        self.assertIs(db["publicly_accessible"], False)
        self.assertIs(db["manage_master_user_password"], True)
        self.assertEqual(unwrap(db["multi_az"]), "var.multi_az")
        self.assertEqual(unwrap(db["backup_retention_period"]), "var.backup_retention_days")
        self.assertEqual(rds.default("backup_retention_days"), 30)
        self.assertEqual(unwrap(db["deletion_protection"]), "var.deletion_protection")
        self.assertIs(rds.default("deletion_protection"), True)
        self.assertIs(db["skip_final_snapshot"], False)
        for e in ENVS:
            self.assertIs(tfvars(e)["deletion_protection"], True)

    def test_parameter_groups_log_slow_statements(self):
        rds = module("rds")
        self.assertEqual(rds.default("slow_query_ms"), 1000)
        for name in ("this", "dr"):
            group = rds.resource("aws_db_parameter_group", name)
            params = {p["name"]: unwrap(p["value"]) for p in blocks(group, "parameter")}
            with self.subTest(group=name):
                self.assertEqual(group["family"], "postgres15")
                self.assertEqual(params["log_min_duration_statement"], "tostring(var.slow_query_ms)")
                self.assertEqual(params["log_parameter_max_length"], "0")
                self.assertEqual(params["rds.force_ssl"], "1")

    def test_replicas(self):
        rds = module("rds")
        replica = rds.resource("aws_db_instance", "replica")
        self.assertEqual(unwrap(replica["count"]), "var.read_replica_enabled ? 1 : 0")
        self.assertEqual(unwrap(replica["replicate_source_db"]), "aws_db_instance.primary.identifier")
        dr = rds.resource("aws_db_instance", "dr")
        self.assertEqual(unwrap(dr["provider"]), "aws.dr")
        self.assertEqual(unwrap(dr["count"]), "var.dr_replica_enabled ? 1 : 0")
        self.assertEqual(unwrap(dr["replicate_source_db"]), "var.dr_promoted ? null : aws_db_instance.primary.arn")
        self.assertIs(dr["storage_encrypted"], True)
        for e in ENVS:
            call = env(e).modules["rds"]
            self.assertEqual(unwrap(call["dr_replica_enabled"]), "var.dr_database_replica")
            self.assertEqual(env(e).default("dr_region"), "us-west-2")


class Monitoring(unittest.TestCase):
    def test_alarms_mirror_prometheus(self):
        mon = module("monitoring")
        self.assertEqual(mon.default("error_rate_threshold_percent"), 5)
        self.assertEqual(mon.default("db_connections_threshold"), 80)
        self.assertEqual(mon.default("memory_threshold_percent"), 90)
        error = mon.resource("aws_cloudwatch_metric_alarm", "high_error_rate")
        self.assertIn('alerts["critical"]', unwrap(error["alarm_actions"][0]))
        periods = {q["id"]: one_block(q, "metric")["period"] for q in blocks(error, "metric_query") if "metric" in q}
        self.assertEqual(set(periods.values()), {300}, "5xx share over 5 minutes")
        db = mon.resource("aws_cloudwatch_metric_alarm", "db_connections")
        self.assertEqual((db["namespace"], db["metric_name"]), ("AWS/RDS", "DatabaseConnections"))
        self.assertIn('alerts["warning"]', unwrap(db["alarm_actions"][0]))
        mem = mon.resource("aws_cloudwatch_metric_alarm", "memory_high")
        self.assertEqual((mem["namespace"], mem["metric_name"]), ("AWS/ECS", "MemoryUtilization"))
        self.assertIn('alerts["warning"]', unwrap(mem["alarm_actions"][0]))

    def test_budget_alerts_at_80_and_100_percent(self):
        budget = module("monitoring").resource("aws_budgets_budget", "monthly")
        notifications = one_block(budget, "dynamic")["notification"]["for_each"]
        actual = {v["threshold"] for v in notifications.values() if v["type"] == "ACTUAL"}
        self.assertEqual(actual, {80, 100})


class Bootstrap(unittest.TestCase):
    def test_state_bucket_and_lock_table(self):
        boot = module("bootstrap")
        versioning = boot.resource("aws_s3_bucket_versioning", "state")
        self.assertEqual(one_block(versioning, "versioning_configuration")["status"], "Enabled")
        table = boot.resource("aws_dynamodb_table", "locks")
        self.assertEqual(table["hash_key"], "LockID")
        self.assertEqual(one_block(table, "attribute"), {"name": "LockID", "type": "S"})
        self.assertIs(one_block(table, "point_in_time_recovery")["enabled"], True)


class Policy(unittest.TestCase):
    def test_no_cache_tier(self):
        """docs/adr/005-no-cache-tier.md: no ElastiCache."""
        for directory in terraform_dirs():
            cfg = load_dir(directory)
            for rtype, name in cfg.resources:
                self.assertFalse(rtype.startswith(("aws_elasticache", "aws_memorydb")), f"{rtype}.{name}")

    def test_checkov_skips_are_justified(self):
        pattern = re.compile(r"#\s*checkov:skip=(CKV2?_AWS_\d+):(.*)")
        found = 0
        for path in source_files("*.tf"):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if "checkov:skip" in line:
                    found += 1
                    match = pattern.search(line)
                    where = f"{path.relative_to(ROOT)}:{number}"
                    self.assertIsNotNone(match, f"malformed skip at {where}")
                    self.assertGreaterEqual(len(match.group(2).strip()), 20, f"skip without a reason at {where}")
        self.assertGreater(found, 0)


# --- Mutations: the checks fail on broken code ---------------------------------------------


class ReleaseFiles(unittest.TestCase):
    """deploy/aws/ and scripts/ (the release side) against this Terraform.

    A release registers deploy/aws/task-definition.json, rendered by
    scripts/lib/deploy-common.sh with the outputs, on the services and
    roles created here; a name that differs stops every task at start.
    """

    REPO = ROOT.parents[1]

    @classmethod
    def setUpClass(cls):
        import json

        cls.task = json.loads((cls.REPO / "deploy/aws/task-definition.json").read_text())
        cls.migrate = json.loads((cls.REPO / "deploy/aws/migrate-task.json").read_text())
        [cls.container] = cls.task["containerDefinitions"]
        cls.environment = {e["name"]: e["value"] for e in cls.container["environment"]}
        cls.common = (cls.REPO / "scripts/lib/deploy-common.sh").read_text()

    def test_secrets_are_the_parameters_created_here(self):
        prefix = tfvars("production")["parameter_prefix"]
        self.assertEqual(prefix, "/cleanstation/prod")
        mapped = {s["name"]: s["valueFrom"] for s in self.container["secrets"]}
        created = {k: f"arn:aws:ssm:us-east-1:ACCOUNT:parameter{prefix}/{v}" for k, v in module("secrets").locals["parameters"].items()}
        # The serving task maps all but the migration-only ones, which the migration task adds.
        migration_only = {s["name"]: s["valueFrom"] for s in self.migrate["secrets"]}
        self.assertEqual(sorted(migration_only), module("ecs").default("migration_only_secrets"))
        self.assertEqual(mapped, {k: v for k, v in created.items() if k not in migration_only})
        self.assertEqual({**mapped, **migration_only}, created)
        self.assertEqual(self.migrate["family"], "cleanstation-migrate")
        self.assertEqual(module("ecs").resource("aws_ecs_task_definition", "migrate")["family"], "${var.family}-migrate")
        self.assertEqual(self.migrate["command"], module("ecs").default("migrate_command"))
        # The scripts switch /cleanstation/prod to the environment's prefix.
        for e in ENVS:
            self.assertIn(f"PARAMETER_PREFIX={tfvars(e)['parameter_prefix']} ", self.common)

    def test_roles_and_bucket_follow_terraforms_names(self):
        sec, storage = module("secrets"), module("storage")
        self.assertEqual(env("production").locals["name"], "cleanstation-${var.environment}")
        self.assertEqual(sec.resource("aws_iam_role", "execution")["name"], "${var.name}-execution")
        self.assertEqual(sec.resource("aws_iam_role", "task")["name"], "${var.name}-task")
        self.assertEqual(storage.locals["documents_name"], "${var.name}-documents-${local.account}")
        self.assertEqual(self.task["executionRoleArn"], "arn:aws:iam::ACCOUNT:role/cleanstation-production-execution")
        self.assertEqual(self.task["taskRoleArn"], "arn:aws:iam::ACCOUNT:role/cleanstation-production-task")
        self.assertEqual(self.environment["S3_BUCKET"], "cleanstation-production-documents-ACCOUNT")
        # Behind the load balancer, the client's address comes from X-Forwarded-For set by it alone.
        self.assertIn('join(",", [var.vpc_cidr, var.dr_vpc_cidr])', unwrap(env("production").locals["app_environment"]))
        prod = tfvars("production")
        self.assertEqual(self.environment["TRUSTED_PROXIES"], f"{prod['vpc_cidr']},{prod['dr_vpc_cidr']}")
        # The scripts' fallbacks when no outputs are at hand.
        for fallback in (
            "role/cleanstation-$ENV_NAME-execution",
            "role/cleanstation-$ENV_NAME-task",
            "cleanstation-$ENV_NAME-documents-$AWS_ACCOUNT_ID",
            "CLUSTER:-cleanstation-$ENV_NAME",
        ):
            self.assertIn(fallback, self.common)

    def test_task_matches_terraforms_task_definition(self):
        ecs = module("ecs")
        self.assertEqual(self.task["family"], ecs.default("family"))
        self.assertEqual(self.container["name"], ecs.locals["container_name"])
        self.assertEqual(self.container["user"], ecs.default("container_user"))
        self.assertEqual(self.task["runtimePlatform"]["cpuArchitecture"], ecs.default("cpu_architecture"))
        self.assertEqual([m["containerPort"] for m in self.container["portMappings"]], [env("production").locals["container_port"]])
        self.assertEqual(
            {m["sourceVolume"]: m["containerPath"] for m in self.container["mountPoints"]}, ecs.locals["volumes"]
        )
        self.assertEqual(self.container["logConfiguration"]["options"]["awslogs-group"], tfvars("production")["log_group_name"])
        health = self.container["healthCheck"]["command"][1].replace(":3000/", ":${var.container_port}/")
        self.assertIn(health, unwrap(ecs.locals["app_container"]))
        for e in ENVS:
            with self.subTest(env=e):
                self.assertEqual(int(self.task["cpu"]), tfvars(e)["task_cpu"])
                self.assertEqual(int(self.task["memory"]), tfvars(e)["task_memory"])

    def test_metrics_stay_off_the_load_balancer(self):
        # /metrics: loopback only on AWS (no METRICS_ALLOW on either side), and
        # the listener answers 404 before the switch rule.
        self.assertNotIn("METRICS_ALLOW", self.environment)
        self.assertNotIn("METRICS_ALLOW", unwrap(env("production").locals["app_environment"]))
        metrics = module("alb").resource("aws_lb_listener_rule", "metrics")
        self.assertIn("/metrics", one_block(one_block(metrics, "condition"), "path_pattern")["values"])

    def test_scripts_read_existing_outputs(self):
        specs = re.findall(r"^ +([a-z_]+(?:\.[a-z_]+)*)=[A-Z_]+$", self.common, re.M)
        self.assertGreater(len(specs), 10)
        nested = {
            "service_names": {"blue", "green"},
            "target_group_arns": {"blue", "green"},
            "scaling": set(module("ecs").outputs["scaling"]["value"]),
        }
        for spec in specs:
            output, *keys = spec.split(".")
            with self.subTest(output=spec):
                for e in ENVS:
                    self.assertIn(output, env(e).outputs)
                for key in keys:
                    self.assertIn(key, nested.get(output, set()))
        # The scripts switch the rule and read the live colour from it, never the listener.
        script = (self.REPO / "scripts/blue-green.sh").read_text() + self.common
        self.assertIn("modify-rule", script)
        self.assertIn("describe-rules", script)
        self.assertNotIn("modify-listener", script)


class Mutation(unittest.TestCase):
    def network_with(self, extra: str) -> Config:
        base = (ROOT / "modules" / "network" / "main.tf").read_text()
        return Config.from_texts(base + "\n" + extra, (ROOT / "modules" / "network" / "variables.tf").read_text())

    def test_database_open_to_the_internet_is_caught(self):
        broken = self.network_with(
            """
resource "aws_vpc_security_group_ingress_rule" "db_debug" {
  security_group_id = aws_security_group.db.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = var.db_port
  to_port           = var.db_port
}
"""
        )
        with self.assertRaises(AssertionError):
            check_database_admits_only_app_tier(broken)

    def test_database_reachable_from_the_load_balancer_is_caught(self):
        broken = self.network_with(
            """
resource "aws_security_group_rule" "db_from_alb" {
  type                     = "ingress"
  security_group_id        = aws_security_group.db.id
  source_security_group_id = aws_security_group.alb.id
  protocol                 = "tcp"
  from_port                = 5432
  to_port                  = 5432
}
"""
        )
        with self.assertRaises(AssertionError):
            check_database_admits_only_app_tier(broken)

    def test_public_bucket_is_caught(self):
        text = (ROOT / "modules" / "storage" / "main.tf").read_text()
        marker = 'resource "aws_s3_bucket_public_access_block" "documents" {'
        start = text.index(marker)
        end = text.index("}", start)
        broken = text[:start] + text[start:end].replace("restrict_public_buckets = true", "restrict_public_buckets = false") + text[end:]
        self.assertNotEqual(broken, text)
        with self.assertRaises(AssertionError):
            check_buckets_block_public_access(Config.from_texts(broken))

    def test_task_role_reaching_other_resources_is_caught(self):
        text = (ROOT / "modules" / "secrets" / "main.tf").read_text()
        broken = text.replace(
            '    sid       = "ReadOwnParameters"\n    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]\n    resources = local.parameter_arns',
            '    sid       = "ReadOwnParameters"\n    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]\n    resources = ["*"]',
        )
        self.assertNotEqual(broken, text)
        with self.assertRaises(AssertionError):
            check_task_role_names_only_own_resources(Config.from_texts(broken))


if __name__ == "__main__":
    unittest.main()
