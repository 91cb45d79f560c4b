"""An HTML conformance check for the suite when the Nu HTML Checker (vnu) cannot run: the HTML5 parser's
own errors (tinyhtml5, html5lib's maintained fork that WeasyPrint already installs), plus the attribute and
reference rules vnu applies most often to pages like ours. It reports errors, not style.

Checked: parse errors; attributes an element may carry (global, data-*, aria-*, per element); which input
types take maxlength, placeholder, min and max; boolean and number attribute values; duplicate and empty ids;
references by id (label for, aria-labelledby, aria-describedby, aria-controls, list, form); ARIA roles;
aria-label on an element without a role that allows naming; interactive content nested in a link or button;
list and description-list children; images without alt; time's datetime format.
"""

from __future__ import annotations

import re

from tinyhtml5.parser import HTMLParser

HTML = "{http://www.w3.org/1999/xhtml}"

GLOBAL = {
    "accesskey", "autocapitalize", "autofocus", "class", "contenteditable", "dir", "draggable",
    "enterkeyhint", "hidden", "id", "inert", "inputmode", "is", "itemid", "itemprop", "itemref",
    "itemscope", "itemtype",
    "lang", "nonce", "popover", "role", "slot", "spellcheck", "style", "tabindex", "title", "translate",
    "xml:lang", "xmlns",
}
ELEMENT = {
    "a": {"href", "target", "download", "ping", "rel", "hreflang", "type", "referrerpolicy"},
    "area": {"alt", "coords", "shape", "href", "target", "download", "ping", "rel", "referrerpolicy"},
    "base": {"href", "target"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "button": {"disabled", "form", "formaction", "formenctype", "formmethod", "formnovalidate",
               "formtarget", "name", "type", "value", "popovertarget", "popovertargetaction"},
    "col": {"span"}, "colgroup": {"span"}, "data": {"value"},
    "details": {"open", "name"}, "dialog": {"open"},
    "fieldset": {"disabled", "form", "name"},
    "form": {"accept-charset", "action", "autocomplete", "enctype", "method", "name", "novalidate", "target",
             "rel"},
    "iframe": {"src", "srcdoc", "name", "sandbox", "allow", "allowfullscreen", "width", "height",
               "referrerpolicy", "loading"},
    "img": {"alt", "src", "srcset", "sizes", "crossorigin", "usemap", "ismap", "width", "height",
            "referrerpolicy", "decoding", "loading", "fetchpriority"},
    "input": {"accept", "alt", "autocomplete", "checked", "dirname", "disabled", "form", "formaction",
              "formenctype", "formmethod", "formnovalidate", "formtarget", "height", "list", "max",
              "maxlength", "min", "minlength", "multiple", "name", "pattern", "placeholder", "readonly",
              "required", "size", "src", "step", "type", "value", "width", "popovertarget"},
    "label": {"for"},
    "li": {"value"},
    "link": {"as", "blocking", "color", "crossorigin", "disabled", "fetchpriority", "href", "hreflang",
             "imagesizes", "imagesrcset", "integrity", "media", "referrerpolicy", "rel", "sizes", "type"},
    "meta": {"charset", "content", "http-equiv", "media", "name"},
    "meter": {"value", "min", "max", "low", "high", "optimum"},
    "ol": {"reversed", "start", "type"},
    "optgroup": {"disabled", "label"},
    "option": {"disabled", "label", "selected", "value"},
    "output": {"for", "form", "name"},
    "progress": {"value", "max"},
    "script": {"async", "blocking", "crossorigin", "defer", "fetchpriority", "integrity", "nomodule",
               "referrerpolicy", "src", "type"},
    "select": {"autocomplete", "disabled", "form", "multiple", "name", "required", "size"},
    "source": {"type", "src", "srcset", "sizes", "media", "width", "height"},
    "style": {"media", "blocking"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "textarea": {"autocomplete", "cols", "dirname", "disabled", "form", "maxlength", "minlength", "name",
                 "placeholder", "readonly", "required", "rows", "wrap"},
    "time": {"datetime"},
    "video": {"src", "crossorigin", "poster", "preload", "autoplay", "playsinline", "loop", "muted",
              "controls", "width", "height"},
}
# Only these input types take these attributes (HTML's table of input attributes).
TEXTUAL = {"text", "search", "url", "tel", "email", "password"}
INPUT_ONLY_FOR = {
    "maxlength": TEXTUAL, "minlength": TEXTUAL, "pattern": TEXTUAL, "size": TEXTUAL,
    "placeholder": TEXTUAL | {"number"},
    "min": {"date", "month", "week", "time", "datetime-local", "number", "range"},
    "max": {"date", "month", "week", "time", "datetime-local", "number", "range"},
    "step": {"date", "month", "week", "time", "datetime-local", "number", "range"},
    "checked": {"checkbox", "radio"},
    "multiple": {"email", "file"},
    "accept": {"file"},
    "list": TEXTUAL | {"date", "month", "week", "time", "datetime-local", "number", "range", "color"},
}
INPUT_TYPES = TEXTUAL | {"hidden", "date", "month", "week", "time", "datetime-local", "number", "range",
                         "color", "checkbox", "radio", "file", "submit", "image", "reset", "button"}
BOOLEAN = {"allowfullscreen", "async", "autofocus", "autoplay", "checked", "controls", "default", "defer",
           "disabled", "formnovalidate", "hidden", "inert", "ismap", "itemscope", "loop", "multiple", "muted",
           "nomodule", "novalidate", "open", "playsinline", "readonly", "required", "reversed", "selected"}
NON_NEGATIVE = {"maxlength", "minlength", "rows", "cols", "colspan", "rowspan", "size", "span", "width",
                "height", "start"}
ROLES = {
    "alert", "alertdialog", "application", "article", "banner", "blockquote", "button", "caption", "cell",
    "checkbox", "code", "columnheader", "combobox", "complementary", "contentinfo", "definition", "deletion",
    "dialog", "directory", "document", "emphasis", "feed", "figure", "form", "generic", "grid", "gridcell",
    "group", "heading", "img", "insertion", "link", "list", "listbox", "listitem", "log", "main", "marquee",
    "math", "menu", "menubar", "menuitem", "menuitemcheckbox", "menuitemradio", "meter", "navigation", "none",
    "note", "option", "paragraph", "presentation", "progressbar", "radio", "radiogroup", "region", "row",
    "rowgroup", "rowheader", "scrollbar", "search", "searchbox", "separator", "slider", "spinbutton",
    "status", "strong", "subscript", "superscript", "switch", "tab", "table", "tablist", "tabpanel", "term",
    "textbox", "time", "timer", "toolbar", "tooltip", "tree", "treegrid", "treeitem",
}
# Roles that may not be named (aria-label/aria-labelledby are prohibited on them, and on elements whose
# implicit role is generic: div, span, and the like without a role).
UNNAMEABLE_ROLES = {"caption", "code", "deletion", "emphasis", "generic", "insertion", "paragraph",
                    "presentation", "none", "strong", "subscript", "superscript"}
GENERIC_ELEMENTS = {"div", "span", "p", "b", "i", "u", "s", "small", "code", "em", "strong", "sub", "sup",
                    "abbr", "data", "bdi", "bdo", "pre", "q", "samp", "kbd", "var", "mark", "cite", "dfn",
                    "br", "wbr", "del", "ins", "label", "legend", "caption", "figcaption", "time"}
INTERACTIVE = {"a", "button", "details", "embed", "iframe", "label", "select", "textarea", "audio", "video"}
LABELABLE = {"button", "input", "meter", "output", "progress", "select", "textarea"}
IDREFS = ("aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-details")
DATETIME = re.compile(
    r"^(\d{4}-\d\d(-\d\d)?|\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?|\d\d:\d\d(:\d\d)?"
    r"|P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?)$"
)


def _local(tag) -> str | None:
    return tag[len(HTML):] if isinstance(tag, str) and tag.startswith(HTML) else None


def problems(page: str) -> list[str]:
    """Every error found in ``page`` (a whole HTML document), as readable lines."""
    parser = HTMLParser()
    root = parser.parse(page)
    found = [f"parse error {code} {data or ''} at {position}" for position, code, data in parser.errors]
    elements = []  # (name, attributes, ancestors)

    def walk(node, ancestors):
        name = _local(node.tag)
        if name is None:  # SVG and MathML: foreign content, not checked here
            return
        elements.append((name, dict(node.attrib), ancestors))
        for child in node:
            walk(child, (*ancestors, name))

    walk(root, ())
    ids: dict[str, int] = {}
    for _name, attributes, _ancestors in elements:
        if "id" in attributes:
            ids[attributes["id"]] = ids.get(attributes["id"], 0) + 1
    found += [f"duplicate id “{key}”" for key, count in ids.items() if count > 1]
    labelable_ids = {a["id"] for n, a, _ in elements
                     if "id" in a and n in LABELABLE and a.get("type") != "hidden"}

    for name, attributes, ancestors in elements:
        where = f"<{name}{''.join(f' {k}' for k in attributes)}>"
        for attribute, value in attributes.items():
            if attribute.startswith(("data-", "aria-")):
                if attribute.startswith("aria-") and value == "None":
                    found.append(f"{where}: {attribute} is “None”")
                continue
            if attribute.startswith("hx-"):
                found.append(f"{where}: attribute {attribute} is not valid HTML (write data-{attribute})")
            elif attribute not in GLOBAL and attribute not in ELEMENT.get(name, set()):
                found.append(f"{where}: attribute {attribute} not allowed on <{name}>")
            if attribute in BOOLEAN and value not in ("", attribute):
                found.append(f"{where}: boolean attribute {attribute}=“{value}”")
            if attribute in NON_NEGATIVE and not re.fullmatch(r"\d+", value):
                found.append(f"{where}: {attribute}=“{value}” is not a non-negative integer")
            if attribute == "tabindex" and not re.fullmatch(r"-?\d+", value):
                found.append(f"{where}: tabindex=“{value}” is not an integer")
        if "id" in attributes and (not attributes["id"] or re.search(r"\s", attributes["id"])):
            found.append(f"{where}: id “{attributes['id']}” is empty or has spaces")
        if name == "input":
            kind = attributes.get("type", "text").lower()
            if kind not in INPUT_TYPES:
                found.append(f"{where}: unknown input type “{kind}”")
            for attribute, types in INPUT_ONLY_FOR.items():
                if attribute in attributes and kind not in types:
                    found.append(f"{where}: {attribute} not allowed on input type “{kind}”")
        if name == "img" and "alt" not in attributes:
            found.append(f"{where}: image without alt")
        if name == "label" and "for" in attributes and attributes["for"] not in labelable_ids:
            found.append(f"{where}: for=“{attributes['for']}” names no labelable element")
        for attribute in IDREFS:
            for ref in attributes.get(attribute, "").split():
                if ref not in ids:
                    found.append(f"{where}: {attribute} names a missing id “{ref}”")
        for attribute in ("list", "form"):
            if attribute in attributes and name != "form" and attributes[attribute] not in ids:
                found.append(f"{where}: {attribute}=“{attributes[attribute]}” names a missing id")
        role = attributes.get("role")
        if role is not None and role.split()[0] not in ROLES:
            found.append(f"{where}: unknown role “{role}”")
        named = "aria-label" in attributes or "aria-labelledby" in attributes
        if named and (role in UNNAMEABLE_ROLES or (role is None and name in GENERIC_ELEMENTS)):
            found.append(f"{where}: aria-label/aria-labelledby not allowed without a role that can be named")
        nested_in = [a for a in ancestors if a in ("a", "button")]
        is_interactive = name in INTERACTIVE or (name == "input" and attributes.get("type") != "hidden") or (
            "tabindex" in attributes)
        if nested_in and is_interactive and not (name == "a" and "href" not in attributes):
            found.append(f"{where}: interactive content inside <{nested_in[-1]}>")
        parent = ancestors[-1] if ancestors else None
        if parent in ("ul", "ol") and name not in ("li", "script", "template"):
            found.append(f"{where}: <{parent}> may hold only <li>")
        if parent == "dl" and name not in ("dt", "dd", "div", "script", "template"):
            found.append(f"{where}: <dl> may hold only <dt>, <dd> and <div>")
        if name == "time" and "datetime" in attributes and not DATETIME.match(attributes["datetime"]):
            found.append(f"{where}: datetime=“{attributes['datetime']}” is not a valid date or time")
        if name == "form" and attributes.get("method", "get").lower() not in ("get", "post", "dialog"):
            found.append(f"{where}: method “{attributes['method']}”")
    return found
