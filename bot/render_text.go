package bot

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"firebot/textsafe"
)

// MarkdownText is r's text for a channel that shows it as markdown: a
// markdown reply as written (its author neutralised any user text in it), a
// plain reply made inert with textsafe.Neutralize, so that user text in it
// cannot mention, link, emphasise or make a heading.
func (r Reply) MarkdownText() string {
	if r.Markdown {
		return r.Text
	}
	return textsafe.Neutralize(r.Text)
}

var (
	mdFont    = regexp.MustCompile(`</?font[^>]*>`)
	mdLink    = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]*)\)`)
	mdHeading = regexp.MustCompile(`(?m)^#{1,6}\s+`)
	mdQuote   = regexp.MustCompile(`(?m)^>\s?`)
)

// PlainText flattens WeCom markdown for places that show plain text:
// bold markers, <font> tags, heading and quote markers are removed and
// links become "text url".
func PlainText(md string) string {
	s := mdFont.ReplaceAllString(md, "")
	s = mdLink.ReplaceAllString(s, "$1 $2")
	s = mdHeading.ReplaceAllString(s, "")
	s = mdQuote.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, "**", "")
	return s
}

// xmlSafe drops characters XML 1.0 cannot carry (control characters,
// invalid UTF-8), which CDATA would otherwise pass through.
func xmlSafe(s string) string {
	clean := utf8.ValidString(s)
	for _, r := range s {
		if !clean || !xmlChar(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return -1
	}, s)
}

func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// truncateBytes cuts s to at most n bytes on a rune boundary.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
