// Package textsafe holds the one escaping rule for user-supplied text
// shown in WeCom markdown, template cards and application text messages.
package textsafe

import "strings"

// neutral maps the characters that carry meaning in WeCom markdown (and
// the <a href> of application text messages) to full-width look-alikes:
// the text reads the same but cannot mention anyone (<@userid>), link
// ([a](b), <a href>), colour (<font>), emphasise (*, _, ~, `), quote (>)
// or make a heading (#).
var neutral = strings.NewReplacer(
	"<", "＜", ">", "＞", "[", "［", "]", "］", "*", "＊", "`", "｀", "#", "＃", "_", "＿", "~", "～",
)

// Neutralize makes text inert wherever it is rendered: user-written text
// echoed in markdown, a plain reply that a channel can only send as
// markdown, a card's title. It is idempotent.
func Neutralize(s string) string { return neutral.Replace(s) }
