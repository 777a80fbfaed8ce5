"""Hostile HTML snippets, reusable by any test that renders stored HTML or text.

Each entry is ``(name, html)``. ``FORBIDDEN`` lists substrings (lower-cased) that must
never appear in sanitised output. A payload may survive as escaped *text* (e.g.
``window.__xss=1]]&gt;``), which is harmless; browser tests can assert that none ran
(each one tries to set ``window.__xss``).
"""

from __future__ import annotations

XSS_CORPUS: list[tuple[str, str]] = [
    ("script tag", "<p>before</p><script>window.__xss=1</script><p>after</p>"),
    ("script uppercase", "<SCRIPT SRC=//evil.example/x.js></SCRIPT><p>text</p>"),
    ("script split", "<scr<script>ipt>window.__xss=1</scr</script>ipt>"),
    ("img onerror", '<img src="x" onerror="window.__xss=1">'),
    ("body onload", '<body onload="window.__xss=1"><p>hello</p></body>'),
    ("p onclick", '<p onclick="window.__xss=1" onmouseover="window.__xss=1">click</p>'),
    ("javascript href", '<a href="javascript:window.__xss=1">link</a>'),
    ("javascript href upper", '<a href="JaVaScRiPt:window.__xss=1">link</a>'),
    ("javascript tab entity", '<a href="jav&#x09;ascript:window.__xss=1">link</a>'),
    ("javascript newline entity", '<a href="jav&#x0A;ascript:window.__xss=1">link</a>'),
    (
        "javascript decimal entities",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;'
        '&#112;&#116;&#58;window.__xss=1">link</a>',
    ),  # fmt: skip
    ("javascript leading space", '<a href=" javascript:window.__xss=1">link</a>'),
    ("javascript raw tab", '<a href="jav\tascript:window.__xss=1">link</a>'),
    ("vbscript href", '<a href="vbscript:msgbox(1)">link</a>'),
    ("data href", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("svg onload", '<svg onload="window.__xss=1"><circle r="5"/></svg>'),
    ("svg script", "<svg><script>window.__xss=1</script></svg>"),
    (
        "svg animate href",
        '<svg><a><animate attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>',
    ),  # fmt: skip
    ("mathml href", '<math><mtext><a href="javascript:window.__xss=1">m</a></mtext></math>'),
    (
        "mathml style confusion",
        "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    ),  # fmt: skip
    ("iframe", '<iframe src="https://evil.example/"></iframe>'),
    ("iframe srcdoc", '<iframe srcdoc="<script>window.__xss=1</script>"></iframe>'),
    ("style tag", "<style>body{background:url(javascript:window.__xss=1)}</style><p>x</p>"),
    ("style attribute", '<p style="background-image:url(javascript:window.__xss=1)">s</p>'),
    ("base href", '<base href="https://evil.example/"><a href="page">relative</a>'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">'),
    ("object", '<object data="javascript:window.__xss=1"></object>'),
    ("embed", '<embed src="https://evil.example/x.swf">'),
    ("form action", '<form action="javascript:window.__xss=1"><button>go</button></form>'),
    ("input autofocus", '<input autofocus onfocus="window.__xss=1">'),
    ("details ontoggle", '<details open ontoggle="window.__xss=1"><summary>s</summary></details>'),
    ("unclosed img", "<img src=x onerror=window.__xss=1 <p>unclosed"),
    ("unclosed attr", '<a href="javascript:window.__xss=1>never closed'),
    ("broken comment", "<!--><script>window.__xss=1</script>-->"),
    ("conditional comment", "<!--[if IE]><script>window.__xss=1</script><![endif]-->"),
    ("cdata", "<![CDATA[<script>window.__xss=1</script>]]>"),
    ("noscript confusion", '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">'),
    ("template", "<template><script>window.__xss=1</script></template>"),
    ("link import", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    ("srcset", '<img srcset="javascript:window.__xss=1 1x">'),
    ("formaction", '<button formaction="javascript:window.__xss=1">b</button>'),
    ("xlink href", '<svg><a xlink:href="javascript:window.__xss=1"><text>x</text></a></svg>'),
]

# Substrings that must not appear in sanitised output (compared lower-cased).
FORBIDDEN: tuple[str, ...] = (
    "<script",
    "javascript:",
    "vbscript:",
    "data:",
    "onerror=",
    "onload=",
    "onclick=",
    "onmouseover=",
    "onfocus=",
    "ontoggle=",
    "<iframe",
    "<style",
    "<base",
    "<meta",
    "<svg",
    "<math",
    "<object",
    "<embed",
    "<form",
    "<input",
    "<link",
    "<img",
    "style=",
    "srcdoc",
    "http-equiv",
)
