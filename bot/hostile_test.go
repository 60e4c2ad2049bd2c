package bot

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// hostileTexts are user-supplied texts that would mention, link, colour,
// emphasise or make headings if they reached markdown as written.
var hostileTexts = []string{
	"<@zhujun> [点此领取消防补贴](http://evil.example/claim)",
	"<@all> [点我]",
	"**紧急通知**\n# 全体注意\n> 引用",
	`<a href="http://evil.example/claim">点我领取</a>`,
	`<font color="warning">红字</font>`,
	"`代码` ~~删除~~ _斜体_ __粗__",
}

// markup are the ASCII characters that carry meaning in WeCom markdown or
// in an application text message.
const markup = "<>[]*`#_~"

// renderedTexts extracts the strings a user sees from a rendered reply:
// JSON string values, or XML character data.
func renderedTexts(t *testing.T, b []byte) []string {
	t.Helper()
	var out []string
	var v any
	if json.Unmarshal(b, &v) == nil {
		var walk func(any)
		walk = func(v any) {
			switch x := v.(type) {
			case string:
				out = append(out, x)
			case map[string]any:
				for _, e := range x {
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(v)
		return out
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("rendered neither JSON nor XML: %v\n%s", err, b)
		}
		if cd, ok := tok.(xml.CharData); ok {
			out = append(out, string(cd))
		}
	}
}

// Every renderer that shows a plain reply as markdown, a template card or
// an application text message makes user text inert; text messages (robot
// text, aibot enter_chat) show it as written, where it means nothing.
func TestHostileTextThroughEveryRenderer(t *testing.T) {
	robotX := mustParse(t, ChannelRobot, FormatXML, exPlaintext)
	robotJ := mustParse(t, ChannelRobot, FormatJSON, robotJSONMsg("group", `"msgtype":"text","text":{"content":"@RemindBot hi"}`))
	aiGroup := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("group", `"msgtype":"text","text":{"content":"@RobotA hi"}`))
	aiSingle := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"text","text":{"content":"hi"}`))
	aiStream := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"stream","stream":{"id":"s77"}`))
	aiEnter := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"event","event":{"eventtype":"enter_chat"}`))
	appText := mustParse(t, ChannelApp, FormatXML, appMsg(`<MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId>`))
	buttons := []Button{{Text: "是", Value: "是"}, {Text: "否", Value: "否"}}
	cases := []struct {
		name  string
		m     *Message
		r     func(text string) Reply
		inert bool // false: a text message, shown as written
	}{
		{"robot xml text", robotX, func(s string) Reply { return Reply{Text: s} }, false},
		{"robot xml markdown (buttons)", robotX, func(s string) Reply { return Reply{Text: s, Buttons: buttons} }, true},
		{"robot json markdown (buttons)", robotJ, func(s string) Reply { return Reply{Text: s, Buttons: buttons} }, true},
		{"robot markdown reply echoing neutralised text", robotJ, func(s string) Reply {
			return Reply{Text: "**回执**\n" + textsafeForTest(s), Markdown: true}
		}, true},
		{"aibot group stream", aiGroup, func(s string) Reply { return Reply{Text: s} }, true},
		{"aibot group stream with hints", aiGroup, func(s string) Reply { return Reply{Text: s, Buttons: buttons} }, true},
		{"aibot stream refresh", aiStream, func(s string) Reply { return Reply{Text: s} }, true},
		{"aibot template card", aiSingle, func(s string) Reply { return Reply{Text: s, Buttons: buttons} }, true},
		{"aibot template card, button label", aiSingle, func(s string) Reply {
			return Reply{Text: "请选择地点", Buttons: []Button{{Text: s, Value: "1"}, {Text: "否", Value: "2"}}}
		}, true},
		{"aibot enter_chat text", aiEnter, func(s string) Reply { return Reply{Text: s} }, false},
		{"app text", appText, func(s string) Reply { return Reply{Text: s} }, true},
	}
	for _, c := range cases {
		for _, h := range hostileTexts {
			text := "地点：" + h
			b, err := testRenderer().Render(c.m, c.r(text))
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			found := false
			for _, s := range renderedTexts(t, b) {
				if !strings.Contains(s, "地点") {
					continue
				}
				found = true
				if c.inert && strings.ContainsAny(strings.ReplaceAll(s, "**回执**", ""), markup) {
					t.Errorf("%s: %q reached the user as %q", c.name, h, s)
				}
				if !c.inert && !strings.Contains(s, h) {
					t.Errorf("%s: text message changed %q to %q", c.name, h, s)
				}
			}
			if !found {
				t.Errorf("%s: the text is not in the output:\n%s", c.name, b)
			}
		}
	}
}

func textsafeForTest(s string) string { return Reply{Text: s}.MarkdownText() }
