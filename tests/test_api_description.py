"""The API's description as a product (issue 17): the error table of docs/api.md lists every
problem type the daemon can answer, the operations' reference in the READMEs is generated from
the descriptions the OpenAPI document is built from, and an undeclared problem is caught."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate

from aiguillage import __version__, apidocs
from aiguillage.app import collect_operations, create_app
from aiguillage.cli import main
from aiguillage.config import config_path, load_settings
from aiguillage.openapi import UNMATCHED_ERRORS, build_openapi, declared_errors
from aiguillage.plugin import Call, Operation, Param, PluginInfo, Problem, hookimpl
from aiguillage.plugin_manager import load_plugins

from conftest import ROOT

_ROW = re.compile(r"^\| ((?:`[a-z0-9-]+`(?: / )?)+) \| ([0-9, ]+) \|", re.MULTILINE)


@pytest.fixture(scope="module")
def operations():
    plugins = load_plugins()
    return collect_operations(load_settings(config_path(None), plugins.infos), plugins)


def documented_types() -> dict[str, set[int]]:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = text.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    table: dict[str, set[int]] = {}
    for slugs, statuses in _ROW.findall(section):
        for slug in re.findall(r"`([a-z0-9-]+)`", slugs):
            assert slug not in table, f"{slug} is listed twice in docs/api.md"
            table[slug] = {int(s) for s in statuses.split(",")}
    return table


def declared_types(operations) -> dict[str, set[int]]:
    declared: dict[str, set[int]] = {}
    for table in [UNMATCHED_ERRORS, *(declared_errors(op) for op in operations)]:
        for status, slugs in table.items():
            for slug in slugs:
                declared.setdefault(slug, set()).add(status)
    return declared


def test_the_error_table_lists_every_problem_type_with_its_statuses(operations):
    documented, declared = documented_types(), declared_types(operations)
    print(f"{len(declared)} problem types declared, {len(documented)} documented")
    assert len(declared) > 30
    missing = {k: sorted(v) for k, v in declared.items() if k not in documented}
    extra = sorted(set(documented) - set(declared))
    wrong = {
        k: (sorted(documented[k]), sorted(v))
        for k, v in declared.items()
        if k in documented and documented[k] != v
    }
    assert not missing, f"add to docs/api.md's error table: {missing}"
    assert not extra, f"documented but never declared: {extra}"
    assert not wrong, f"documented statuses differ from declared ones (doc, declared): {wrong}"


def test_the_document_is_valid_and_every_type_is_in_the_problem_enum(operations):
    document = build_openapi(operations, __version__)
    validate(document)
    enum = document["components"]["schemas"]["ProblemType"]["enum"]
    assert sorted(enum) == sorted(f"urn:aiguillage:problem:{t}" for t in declared_types(operations))
    assert document["servers"][0]["variables"]["port"]["default"] == "7480"


def test_the_readmes_hold_the_generated_reference():
    result = CliRunner().invoke(main, ["docs", "--check", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_a_changed_description_makes_its_readme_stale(tmp_path):
    plugins = load_plugins()
    operations = collect_operations(load_settings(config_path(None), plugins.infos), plugins)
    for where in ("docs/api.md", "plugins/insi/README.md", "plugins/dmp/README.md"):
        (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / where, tmp_path / where)
    assert not any(page.stale for page in apidocs.pages(tmp_path, operations))
    search = next(op for op in operations if op.path == "/v1/ins/search")
    search.description += "\n\nA sentence the README does not have."
    stale = [page for page in apidocs.pages(tmp_path, operations) if page.stale]
    assert [page.path for page in stale] == [tmp_path / "plugins/insi/README.md"]
    assert "A sentence the README does not have." in stale[0].updated


def test_a_file_without_its_markers_is_refused(tmp_path, operations):
    for where in ("docs/api.md", "plugins/insi/README.md", "plugins/dmp/README.md"):
        (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / where, tmp_path / where)
    (tmp_path / "docs" / "api.md").write_text("# The API\n", encoding="utf-8")
    with pytest.raises(apidocs.MissingBlock, match=r"docs/api\.md"):
        apidocs.pages(tmp_path, operations)


class _Declaring:
    """A plugin whose one operation answers whichever problem the query names."""

    @hookimpl
    def plugin_info(self) -> PluginInfo:
        return PluginInfo(name="declaring", version="1.0", title="Declared problems (tests)")

    @hookimpl
    def register_operations(self, register) -> None:
        async def refuse(call: Call) -> dict:
            raise Problem(409, call.params["type"], "Refused")

        register(
            Operation(
                "GET",
                "/v1/declaring/refusal",
                "Answers a 409 of the given type",
                refuse,
                params=[Param("type", "query", {"type": "string"}, required=True)],
                operation_id="getRefusal",
                errors={409: ("declared-refusal",)},
            )
        )


@pytest.fixture
def plugins():
    """The test's own plugin beside the built-in ones (the ``settings`` fixture reads it)."""
    return load_plugins(extra=[_Declaring()])


async def test_an_undeclared_problem_fails_the_tests_that_meet_it(
    aiohttp_client, plugins, settings, token
):
    app = create_app(settings, plugins, validate_responses=True)
    client = await aiohttp_client(app)
    auth = {"Authorization": f"Bearer {token}"}
    declared = await client.get("/v1/declaring/refusal?type=declared-refusal", headers=auth)
    assert declared.status == 409
    assert (await declared.json())["type"] == "urn:aiguillage:problem:declared-refusal"
    undeclared = await client.get("/v1/declaring/refusal?type=other-refusal", headers=auth)
    assert undeclared.status == 500
    detail = (await undeclared.json())["detail"]
    assert "GET /v1/declaring/refusal answered 409 urn:aiguillage:problem:other-refusal" in detail
    await client.close()
    # without the check (the daemon as it runs), the problem goes out as raised
    plain = await aiohttp_client(create_app(settings, plugins))
    answer = await plain.get("/v1/declaring/refusal?type=other-refusal", headers=auth)
    assert answer.status == 409


def test_a_title_names_one_schema_and_a_changed_copy_stays_inline():
    shape = {"title": "Shape", "type": "object", "properties": {"a": {"type": "string"}}}
    other = {**shape, "properties": {"a": {"type": "integer"}}}
    ops = [
        Operation("GET", "/v1/x/a", "a", None, response_schema=shape, operation_id="getA"),
        Operation("GET", "/v1/x/b", "b", None, response_schema=shape, operation_id="getB"),
    ]

    def answer(document, path):
        return document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]

    conflicts: list[str] = []
    document = build_openapi(ops, __version__, conflicts=conflicts)
    assert answer(document, "/v1/x/b")["schema"] == {"$ref": "#/components/schemas/Shape"}
    assert conflicts == []
    ops[1].response_schema = other
    document = build_openapi(ops, __version__, conflicts=conflicts)
    assert conflicts == ["Shape"]
    assert document["components"]["schemas"]["Shape"]["properties"]["a"]["type"] == "string"
    inline = answer(document, "/v1/x/b")["schema"]
    assert inline["properties"]["a"]["type"] == "integer" and "title" not in inline


def test_no_two_built_in_schemas_share_a_title(operations):
    conflicts: list[str] = []
    build_openapi(operations, __version__, conflicts=conflicts)
    assert conflicts == []


async def test_servers_is_the_address_the_document_was_fetched_from(client):
    answer = await client.get("/v1/openapi.json")
    assert answer.status == 200
    document = await answer.json()
    assert document["servers"] == [
        {"url": f"http://127.0.0.1:{client.port}", "description": "this daemon"}
    ]


async def test_a_422_on_a_body_with_alternatives_names_the_field_of_the_one_used(client):
    cases = {
        # a carte Vitale whose NIR key is wrong: the field and the check's own words
        "vitale": (
            {"vitale": {"nir": "236066322083657", "birth_date": "1936-06-21"}},
            {("/vitale/nir", "the key does not match the number")},
        ),
        # traits with a birth date that cannot be one
        "traits": (
            {
                "traits": {
                    "birth_name": "TCHITCHI",
                    "first_names": ["CATARINA"],
                    "sex": "F",
                    "birth_date": "2090-01-01",
                }
            },
            {("/traits/birth_date", "2090-01-01 is in the future")},
        ),
    }
    for body, expected in cases.values():
        answer = await client.post("/v1/ins/search", json=body)
        assert answer.status == 422, await answer.text()
        errors = {(e["field"], e["message"]) for e in (await answer.json())["errors"]}
        assert errors == expected
    # a body that is neither: no branch to prefer, the body as a whole is named
    answer = await client.post("/v1/ins/search", json={})
    assert [e["field"] for e in (await answer.json())["errors"]] == ["/"]
