"""Reading TwiML answers: is an answer TwiML, and which verbs does its `<Response>` hold.

The answer is parsed with the standard library's XML parser (it resolves no external entities) into plain
`Verb` values: the element's name, attributes, its text and its nested nouns. What the verbs mean is
decided by the messaging and voice walkers; here they are only read."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree


class TwimlError(ValueError):
    """The answer claims to be TwiML but is not a well-formed `<Response>` document."""


@dataclass(frozen=True)
class Verb:
    """One TwiML element. `text` is all the text inside it (nested elements included), stripped; `own_text`
    only the text outside its nested elements, stripped."""

    name: str
    attributes: dict[str, str] = field(default_factory=dict)
    text: str = ""
    own_text: str = ""
    children: tuple[Verb, ...] = ()

    def attribute(self, name: str, default: str = "") -> str:
        return self.attributes.get(name, default)

    def nouns(self, name: str) -> list[Verb]:
        return [child for child in self.children if child.name == name]

    @property
    def method(self) -> str:
        """The HTTP method of the request the verb leads to (its URL or `action`); POST by default."""
        return self.attribute("method", "POST").upper()


def looks_like_twiml(content_type: str | None, body: bytes) -> bool:
    """Whether an answer is meant as TwiML: an XML content type, or a body that starts like TwiML."""
    if content_type and "xml" in content_type.split(";")[0].lower():
        return True
    start = body.lstrip()[:64]
    return start.startswith(b"<?xml") or start.startswith(b"<Response")


def parse_twiml(body: bytes) -> list[Verb]:
    """The verbs of a `<Response>` document, in order; `TwimlError` when it is no such document."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise TwimlError(f"the answer is not well-formed XML ({error})") from error
    if _local_name(root.tag) != "Response":
        raise TwimlError(f"the root element is <{_local_name(root.tag)}>, not <Response>")
    return [_verb(element) for element in root]


def _verb(element: ElementTree.Element) -> Verb:
    own = (element.text or "") + "".join(child.tail or "" for child in element)
    return Verb(
        name=_local_name(element.tag),
        attributes={_local_name(key): value for key, value in element.attrib.items()},
        text="".join(element.itertext()).strip(),
        own_text=own.strip(),
        children=tuple(_verb(child) for child in element),
    )


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
