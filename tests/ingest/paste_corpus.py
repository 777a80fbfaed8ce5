"""What editors really paste: the site chrome before an article and the furniture after it.

Each head and tail is written the way a browser's copy gives it for that publishing
system: some with single line breaks (lists, widgets, menus copy that way), some with
blank lines between blocks. ``KEEPERS`` are real last paragraphs that look a little like
boilerplate and must never be cut.
"""

from __future__ import annotations

HEADLINE = "Council closes harbour bridge to cars after 80 years"
BODY = [
    HEADLINE,
    "By Jane Doe",
    "The city council voted on Tuesday to close the old harbour bridge to cars, ending "
    "eighty years of traffic across the estuary.",
    "“We have waited long enough,” said the mayor, Ana Ruiz, after the vote. Engineers had "
    "warned in 2019 that the bridge could not carry heavy lorries.",
    "The decision passed by 31 votes to 12. Cyclists and pedestrians will keep using the "
    "bridge, which will be repaired over three years at a cost of €14 million.",
]

#: name → (pasted head, the kinds of part it is reported as, in order)
HEADS: dict[str, tuple[str, list[str]]] = {
    "wordpress, single breaks": (
        "Skip to content\nMenu\nHome | World | Politics | Business | Opinion\nSearch for:\nSearch",
        ["navigation"],
    ),
    "wordpress, blank lines": (
        "Skip to content\n\nThe Harbour Herald\n\nMenu\n\nHome\n\nAbout\n\nContact\n\nSearch for:",
        ["navigation"],
    ),
    "ghost": (
        "The Harbour Herald\nHome\nAbout\nSign in\nSubscribe",
        ["navigation"],
    ),
    "substack": (
        "The Harbour Letter\n\nSubscribe\n\nSign in",
        ["navigation"],
    ),
    "medium": (
        "Open in app\nSign up\nSign in\nWrite\nSearch\nMember-only story",
        ["navigation"],
    ),
    "blogger": (
        "Skip to main content\nSearch This Blog\nThe Harbour Diaries\nNotes from the estuary\n"
        "Home\nAbout me",
        ["navigation"],
    ),
    "public broadcaster (section list)": (
        "Skip to content\nBritish Broadcasting Corporation\nHome\nNews\nSport\nBusiness\n"
        "Innovation\nCulture\nTravel\nEarth\nVideo\nLive",
        ["navigation"],
    ),
    "national daily (editions, back to homepage)": (
        "Skip to main content\nSkip to navigation\nPrint subscriptions\nSearch jobs\nSign in\n"
        "Europe edition\nThe Guardian - Back to homepage\nNews\nOpinion\nSport\nCulture\n"
        "Lifestyle\nShow more",
        ["navigation"],
    ),
    "newspaper of record (run-together skip links, ad slot)": (
        "Skip to contentSkip to site index\nSearch & Section Navigation\nSection Navigation\n"
        "SEARCH\nSubscribe for $1/week\nLog in\n\nAdvertisement\n\nSKIP ADVERTISEMENT",
        ["navigation", "advertisement"],
    ),
    "email newsletter": (
        "View this email in your browser\n\nForwarded this email? Subscribe here for more",
        ["newsletter"],
    ),
    "cookie banner above the menu": (
        "We use cookies to give you the best experience. By continuing you agree to our "
        "cookie policy.\nAccept all cookies\nSkip to content\nMenu",
        ["cookies", "navigation"],
    ),
}

#: name → (pasted tail, the kinds of part it is reported as, in order)
TAILS: dict[str, tuple[str, list[str]]] = {
    "wordpress, single breaks": (
        "Share this:\nTwitter\nFacebook\nLike this:\nLike Loading...\nRelated\n"
        "Leave a Reply Cancel reply\n"
        "Your email address will not be published. Required fields are marked *\n"
        "Comment *\nName *\nEmail *\nWebsite\n"
        "Save my name, email, and website in this browser for the next time I comment.\n"
        "Post Comment",
        ["share", "related", "comments"],
    ),
    "wordpress.com, blank lines, related posts": (
        "Share this:\n\nClick to share on X (Opens in new window)\n\n"
        "Click to share on Facebook (Opens in new window)\n\nLike this:\n\nLike Loading...\n\n"
        "Related\n\nCouncil delays harbour vote\n\nNovember 14, 2023\n\nIn “Local news”\n\n"
        "Ferry fares to rise in spring\n\nOctober 2, 2023\n\nIn “Transport”\n\n"
        "Leave a comment\n\nCancel reply\n\nΔ\n\n"
        "Create a free website or blog at WordPress.com.",
        ["share", "related", "comments", "footer"],
    ),
    "ghost": (
        "Share this article\nTwitter\nFacebook\nLinkedIn\nEmail\n"
        "Sign up for more like this.\nEnter your email\nSubscribe\n"
        "Read next\nFerry fares to rise in spring\n"
        "The Harbour Herald © 2023\nPowered by Ghost",
        ["share", "newsletter", "related", "footer"],
    ),
    "substack": (
        "Thanks for reading The Harbour Letter! Subscribe for free to receive new posts and "
        "support my work.\n\nSubscribe\n\n12\n\nShare\n\nPrevious\nNext\n\n"
        "Discussion about this post\n\nComments\nRestacks\n\nReady for more?\n\nSubscribe\n\n"
        "© 2024 Jane Doe\nPrivacy ∙ Terms ∙ Collection notice\nStart writing\nGet the app\n"
        "Substack is the home for great culture",
        ["newsletter", "share", "comments", "share", "related", "login", "footer", "newsletter"],
    ),
    "medium": (
        "--\n\n12\n\n1\n\nFollow\n\nWritten by Jane Doe\n\n2.1K Followers\n\n"
        "Transport reporter at The Harbour Herald\n\nMore from Jane Doe\n\n"
        "Recommended from Medium\n\nHelp\n\nStatus\n\nAbout\n\nCareers\n\nBlog\n\nPrivacy\n\n"
        "Terms\n\nText to speech\n\nTeams",
        ["share", "related", "footer"],
    ),
    "blogger": (
        "Posted by Jane Doe at 10:15 AM\n"
        "Email ThisBlogThis!Share to XShare to FacebookShare to Pinterest\n"
        "Labels: bridges, council\nNo comments:\nPost a Comment\n"
        "Newer Post Older Post Home\nSubscribe to: Post Comments (Atom)",
        ["footer", "share", "related", "comments", "related"],
    ),
    "disqus": (
        "Comments\n\ncomments powered by Disqus\n\n"
        "Please enable JavaScript to view the comments powered by Disqus.",
        ["comments"],
    ),
    "national daily (topics, most viewed)": (
        "Explore more on these topics\nBridges\nLocal government\nTransport\nShare\n"
        "Reuse this content\nMost viewed\nFerry fares to rise in spring\n"
        "Council delays harbour vote",
        ["related", "share", "related"],
    ),
    "newspaper of record (footer index)": (
        "Share full article\n123\nRelated Content\n\nAdvertisement\n\nSKIP ADVERTISEMENT\n\n"
        "Site Index\nSite Information Navigation\n© 2023 The New York Times Company\nNYTCo\n"
        "Contact Us\nAccessibility\nWork with us\nAdvertise\nPrivacy Policy\nTerms of Service\n"
        "Site Map\nHelp\nSubscriptions",
        ["share", "related", "advertisement", "related", "footer"],
    ),
    "email newsletter": (
        "You received this email because you signed up for The Harbour Letter.\n"
        "Unsubscribe | Update your preferences | View in browser\n\nOur mailing address is:\n"
        "The Harbour Letter, 1 Quay Street, Portsmouth PO1 2AB\n\n"
        "Copyright © 2023 The Harbour Letter, All rights reserved.",
        ["newsletter", "footer"],
    ),
    "public broadcaster (footer)": (
        "Related\nMore from the BBC\nHome\nNews\nSport\nTerms of Use\nAbout the BBC\n"
        "Privacy Policy\nCookies\n"
        "Copyright 2023 BBC. All rights reserved. The BBC is not responsible for the content "
        "of external sites.",
        ["related", "footer"],
    ),
    "cookie notice and back to top": (
        "This website uses cookies to improve your experience. We'll assume you're ok with "
        "this, but you can opt-out if you wish.\n\nAccept all cookies\n\nBack to top",
        ["cookies", "footer"],
    ),
}

#: Real last paragraphs that resemble boilerplate: they must stay, with or without a tail.
KEEPERS = [
    "Related reporting by Olena Petrenko in Kyiv and Ben Smith in Warsaw.",
    "Additional reporting by Ana Ruiz",
    "Correction: An earlier version of this article said the bridge opened in 1927. It "
    "opened in 1937.",
    "This article was amended on 22 November 2023 to correct the vote count.",
    "Share your views on the closure: email letters@harbourherald.example.",
    "Comments from the mayor's office were not returned by the time of publication.",
    "Copyright law was central to the case, the judge said.",
    "Follow Jane Doe on Mastodon",
    "Written by Jane Doe and Ben Smith",
    "What do you think?",
    "jane.doe@harbourherald.example",
    "Thanks for reading, and see you next week!",
]


def article(separator: str = "\n\n", body: list[str] | None = None) -> str:
    """The article alone, its blocks joined by ``separator`` ("\\n" or "\\n\\n")."""
    return separator.join(BODY if body is None else body)
