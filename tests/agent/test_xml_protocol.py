"""The streaming XML tool-call parser: chunking invariance, raw bodies, entities, cut-offs."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from appwright.agent.tool_specs import TOOL_SPECS, get_tool_spec, validate_arguments
from appwright.agent.xml_protocol import (
    XmlCallCompleted,
    XmlCallContent,
    XmlCallIncomplete,
    XmlCallStarted,
    XmlEvent,
    XmlStreamParser,
    XmlText,
    build_arguments,
    parse_sections,
    render_xml_tool_prompt,
)

RESPONSE = """I'll add a counter component and wire it in.
<create_file path="src/components/Counter.tsx">
import { useState } from "react";

export function Counter<T extends number>({ start }: { start: T }) {
  const [n, setN] = useState<number>(start);
  return <button onClick={() => setN(n + 1)}>{n > 1 && n < 10 ? "few" : "many"}</button>;
}
</create_file>
Then the page (note: a <div> in prose is just text):
<update_file_sections path="src/App.tsx">
<<<<<<< SEARCH
      <h1>Welcome</h1>
=======
      <h1>Welcome</h1>
      <Counter start={1} />
>>>>>>> REPLACE
</update_file_sections>
<create_file path="README.md">
# Demo

```bash
npm run dev
```
</create_file>
<delete_file path="src/a&amp;b &quot;old&quot;.ts" />
<search_files pattern="use(State|Effect)&lt;" glob='src/**' />
<send_terminal_command>npm run build 2>&1 | tail -n 5 && echo "<ok>"</send_terminal_command>
<check_for_errors/>
All done!"""


def run(text: str, size: int) -> list[XmlEvent]:
    parser = XmlStreamParser()
    events: list[XmlEvent] = []
    for i in range(0, len(text), size):
        events += parser.feed(text[i : i + size])
    events += parser.finish()
    return events


def normalise(events: list[XmlEvent]) -> list[Any]:
    """Merge split text/content pieces so runs with different chunking compare equal."""
    out: list[Any] = []
    for event in events:
        if out and isinstance(event, XmlText) and isinstance(out[-1], XmlText):
            out[-1] = XmlText(out[-1].text + event.text)
        elif (
            out
            and isinstance(event, XmlCallContent)
            and isinstance(out[-1], XmlCallContent)
            and out[-1].index == event.index
        ):
            out[-1] = XmlCallContent(event.index, event.name, out[-1].text + event.text)
        else:
            out.append(event)
    return out


def completed(events: list[XmlEvent]) -> list[XmlCallCompleted]:
    return [e for e in events if isinstance(e, XmlCallCompleted)]


def test_full_response_parses_into_calls_and_text() -> None:
    events = run(RESPONSE, 10_000)
    calls = completed(events)
    assert [c.name for c in calls] == [
        "create_file",
        "update_file_sections",
        "create_file",
        "delete_file",
        "search_files",
        "send_terminal_command",
        "check_for_errors",
    ]
    assert all(c.error is None for c in calls)
    counter = calls[0].arguments
    assert counter["path"] == "src/components/Counter.tsx"
    assert counter["content"].startswith('import { useState } from "react";\n')
    assert "useState<number>(start)" in counter["content"]
    assert 'n > 1 && n < 10 ? "few"' in counter["content"]
    assert counter["content"].endswith("</button>;\n}\n")
    assert calls[1].arguments["sections"] == [
        {
            "search": "      <h1>Welcome</h1>",
            "replace": "      <h1>Welcome</h1>\n      <Counter start={1} />",
        }
    ]
    # A Markdown file's own code fence stays verbatim.
    assert calls[2].arguments["content"] == "# Demo\n\n```bash\nnpm run dev\n```\n"
    assert calls[3].arguments == {"path": 'src/a&b "old".ts'}
    assert calls[4].arguments == {"pattern": "use(State|Effect)<", "glob": "src/**"}
    assert calls[5].arguments == {"command": 'npm run build 2>&1 | tail -n 5 && echo "<ok>"'}
    assert calls[6].arguments == {}
    text = "".join(e.text for e in events if isinstance(e, XmlText))
    assert text.startswith("I'll add a counter component")
    assert "a <div> in prose is just text" in text
    assert text.endswith("All done!")
    assert "<create_file" not in text


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=64), st.randoms(use_true_random=False))
def test_any_chunking_gives_identical_events(size: int, rnd: Any) -> None:
    reference = normalise(run(RESPONSE, len(RESPONSE)))
    assert normalise(run(RESPONSE, size)) == reference
    # Irregular chunk sizes too, as a real stream delivers them.
    parser = XmlStreamParser()
    events: list[XmlEvent] = []
    i = 0
    while i < len(RESPONSE):
        step = rnd.randint(1, 20)
        events += parser.feed(RESPONSE[i : i + step])
        i += step
    events += parser.finish()
    assert normalise(events) == reference


def test_one_char_chunks_stream_content_before_the_call_completes() -> None:
    parser = XmlStreamParser()
    seen: list[XmlEvent] = []
    text = '<create_file path="a.ts">\nconst a = 1;\nconst b = 2;\n</create_file>'
    stop = text.index("const b")
    for ch in text[:stop]:
        seen += parser.feed(ch)
    assert isinstance(seen[0], XmlCallStarted)
    assert seen[0].attributes == {"path": "a.ts"}
    streamed = "".join(e.text for e in seen if isinstance(e, XmlCallContent))
    assert streamed.startswith("const a = 1;\n")
    assert not completed(seen)


def test_call_completes_as_soon_as_closing_tag_arrives() -> None:
    parser = XmlStreamParser()
    events = parser.feed('<delete_file path="x.ts" />and more text still streaming')
    assert [type(e) for e in events][:2] == [XmlCallStarted, XmlCallCompleted]
    events = parser.feed('<create_file path="y.ts">x</create_file>')
    assert completed(events)[0].arguments == {"path": "y.ts", "content": "x"}


def test_unclosed_call_at_end_is_incomplete_never_completed() -> None:
    events = run('Here:\n<create_file path="src/a.ts">\nexport const a = 1;\n', 7)
    assert not completed(events)
    incomplete = [e for e in events if isinstance(e, XmlCallIncomplete)]
    assert len(incomplete) == 1
    assert incomplete[0].name == "create_file"
    assert incomplete[0].body == "export const a = 1;\n"
    assert "never arrived" in incomplete[0].reason


def test_unfinished_opening_tag_at_end_is_incomplete() -> None:
    events = run('text <create_file path="src/a', 3)
    assert isinstance(events[-1], XmlCallIncomplete)
    assert not completed(events)


def test_unknown_tags_and_lone_angle_brackets_are_text() -> None:
    source = "a < b and <div>x</div> <create_filex/> <createfile> 3<4 <"
    events = run(source, 1)
    assert not any(isinstance(e, XmlCallStarted) for e in events)
    assert "".join(e.text for e in events if isinstance(e, XmlText)) == source


def test_tool_tag_in_inline_code_is_text() -> None:
    source = 'I will use `<create_file>` and `<delete_file path="a" />` for that.\n'
    events = run(source, 1)
    assert not any(isinstance(e, XmlCallStarted) for e in events)
    assert "".join(e.text for e in events if isinstance(e, XmlText)) == source
    # A real call after such a mention still parses.
    events = run(source + '<delete_file path="a" />', 3)
    assert [c.arguments for c in completed(events)] == [{"path": "a"}]


def test_closing_tag_lookalikes_inside_body_are_content() -> None:
    body = "const t = `</create_fil` + '</create_filez>';\n"
    events = run(f'<create_file path="a.ts">\n{body}</create_file>', 2)
    assert completed(events)[0].arguments["content"] == body


def test_fenced_content_in_code_file_is_unwrapped() -> None:
    events = run('<create_file path="a.ts">\n```ts\nexport {};\n```\n</create_file>', 5)
    assert completed(events)[0].arguments["content"] == "export {};\n"


def test_missing_required_attribute_is_an_error_for_the_model() -> None:
    events = run("<create_file>\nx\n</create_file>", 4)
    call = completed(events)[0]
    assert call.error is not None
    assert 'path="..."' in call.error


def test_malformed_sections_are_an_error() -> None:
    events = run(
        '<update_file_sections path="a">\n<<<<<<< SEARCH\nx\n=======\ny\n</update_file_sections>',
        3,
    )
    call = completed(events)[0]
    assert call.error is not None
    assert "REPLACE" in call.error


def test_tagged_section_variant_and_lists() -> None:
    assert parse_sections("<search>\na\n</search>\n<replace>\nb\n</replace>") == [
        {"search": "a", "replace": "b"}
    ]
    spec = get_tool_spec("add_dependency")
    assert spec is not None
    args, error = build_arguments(spec, {"dev": "true"}, "\nzod\n  react-hook-form@7 \n")
    assert error is None
    assert args == {"dev": True, "packages": ["zod", "react-hook-form@7"]}
    spec = get_tool_spec("open_files_in_editor")
    assert spec is not None
    assert build_arguments(spec, {"files": "a.ts, b.ts"}, None) == (
        {"files": ["a.ts", "b.ts"]},
        None,
    )


def test_multiple_sections_in_one_call() -> None:
    body = (
        "<<<<<<< SEARCH\na\n=======\nA\n>>>>>>> REPLACE\n"
        "<<<<<<< SEARCH\nb\n=======\n>>>>>>> REPLACE\n"
    )
    assert parse_sections(body) == [
        {"search": "a", "replace": "A"},
        {"search": "b", "replace": ""},
    ]


def test_prompt_documents_every_tool_and_its_parameters() -> None:
    prompt = render_xml_tool_prompt()
    for spec in TOOL_SPECS:
        assert f"### {spec.name}" in prompt
        assert spec.xml_example in prompt
        for name in spec.properties:
            assert f"- {name} (" in prompt
    assert "<<<<<<< SEARCH" in prompt


def test_prompt_examples_parse_back_to_valid_calls() -> None:
    # The examples the model imitates must themselves be valid calls.
    for spec in TOOL_SPECS:
        calls = completed(run(spec.xml_example, 3))
        assert len(calls) == 1, spec.name
        assert calls[0].name == spec.name
        assert calls[0].error is None, calls[0].error


_FRAGMENTS = st.sampled_from(
    [
        "text ",
        "<",
        ">",
        "\n",
        "&amp;",
        "<div>",
        "</div>",
        "<create_file",
        '<create_file path="a.ts">',
        "\nconst a = 1 < 2;\n",
        "</create_file>",
        "</create_fil",
        "<delete_file path='x' />",
        "<check_for_errors/>",
        '<update_file_sections path="b">\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n',
        "</update_file_sections>",
        "```",
        "\r\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=25), st.integers(min_value=1, max_value=7))
def test_random_documents_parse_the_same_under_any_chunking(
    fragments: list[str], size: int
) -> None:
    document = "".join(fragments)
    whole = normalise(run(document, max(1, len(document))))
    assert normalise(run(document, size)) == whole
    # Nothing is lost: outside-call text plus call markup accounts for the whole input.
    texts = "".join(e.text for e in whole if isinstance(e, XmlText))
    assert len(texts) <= len(document)
    started = [e.index for e in whole if isinstance(e, XmlCallStarted)]
    ended = [e.index for e in whole if isinstance(e, XmlCallCompleted | XmlCallIncomplete)]
    assert started == sorted(started)
    assert set(started) <= set(ended)


def test_native_arguments_are_validated_against_the_same_registry() -> None:
    update = get_tool_spec("update_file_sections")
    assert update is not None
    good = {"path": "a.ts", "sections": [{"search": "a", "replace": "b"}]}
    assert validate_arguments(update, good) is None
    assert (
        validate_arguments(update, {"path": "a.ts"}) == "update_file_sections: missing `sections`"
    )
    problem = validate_arguments(update, {"path": "a.ts", "sections": [{"search": "a"}]})
    assert problem == "update_file_sections: `sections[0]` is missing `replace`"
    create = get_tool_spec("create_file")
    assert create is not None
    assert validate_arguments(create, {"path": 3, "content": ""}) == (
        "create_file: `path` must be a string"
    )
    # Whatever the XML protocol builds passes the native validation too.
    for spec in TOOL_SPECS:
        calls = completed(run(spec.xml_example, 5))
        assert validate_arguments(spec, calls[0].arguments) is None, spec.name
