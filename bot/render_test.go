package bot

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/clock"
)

func testRenderer() Renderer {
	n := 0
	return Renderer{
		Clock: clock.NewFake(time.Unix(1700000100, 0)),
		NewID: func() string { n++; return "id" + strconv.Itoa(n) },
	}
}

func mustParse(t *testing.T, ch Channel, f Format, in string) *Message {
	t.Helper()
	m, err := Parse(ch, f, []byte(in), "RemindBot")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRender(t *testing.T) {
	robotX := mustParse(t, ChannelRobot, FormatXML, exPlaintext)
	robotJ := mustParse(t, ChannelRobot, FormatJSON, robotJSONMsg("group", `"msgtype":"text","text":{"content":"@RemindBot hi"}`))
	aiGroup := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("group", `"msgtype":"text","text":{"content":"@RobotA hi"}`))
	aiSingle := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"text","text":{"content":"hi"}`))
	aiEnter := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"event","event":{"eventtype":"enter_chat"}`))
	aiStream := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"stream","stream":{"id":"s77"}`))
	appText := mustParse(t, ChannelApp, FormatXML, appMsg(`<MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId>`))
	appClick := mustParse(t, ChannelApp, FormatXML, appCardEvent)
	yesNo := []Button{{Text: "确认", Value: "Y"}, {Text: "取消", Value: "N"}}

	tests := []struct {
		name string
		m    *Message
		r    Reply
		want string
	}{
		{"robot markdown = worked example reply", robotX, Reply{Text: "Recorded: **confirm 42**", Markdown: true}, exReplyPlaintext},
		{"robot text with mentions, visible to", robotX, Reply{Text: "收到", Mentions: []string{"zhangsan", "@all"}, VisibleTo: []string{"zhangsan", "lisi"}},
			`<xml><MsgType>text</MsgType><Text><Content><![CDATA[收到]]></Content><MentionedList><Item><![CDATA[zhangsan]]></Item><Item><![CDATA[@all]]></Item></MentionedList></Text><VisibleToUser>zhangsan|lisi</VisibleToUser></xml>`},
		{"robot buttons make markdown", robotX, Reply{Text: "确认提交？", Mentions: []string{"zhangsan"}, Buttons: yesNo},
			`<xml><MsgType>markdown</MsgType><Markdown><Content><![CDATA[<@zhangsan>` + "\n" + `确认提交？]]></Content><Attachment><CallbackId>id1</CallbackId>` +
				`<Actions><Name>b1</Name><Value>Y</Value><Text>确认</Text><Type>button</Type><ReplaceText>已选择：确认</ReplaceText></Actions>` +
				`<Actions><Name>b2</Name><Value>N</Value><Text>取消</Text><Type>button</Type><ReplaceText>已选择：取消</ReplaceText></Actions></Attachment></Markdown></xml>`},
		{"robot text escapes CDATA end and drops control chars", robotX, Reply{Text: "a]]>b\x00c"},
			`<xml><MsgType>text</MsgType><Text><Content><![CDATA[a]]]]><![CDATA[>bc]]></Content></Text></xml>`},
		{"robot json text", robotJ, Reply{Text: "收到", Mentions: []string{"lisi"}},
			`{"msgtype":"text","text":{"content":"收到","mentioned_list":["lisi"]}}`},
		{"robot json buttons", robotJ, Reply{Text: "**选**", Markdown: true, Buttons: []Button{{Value: "1"}}, VisibleTo: []string{"lisi"}},
			`{"msgtype":"markdown","markdown":{"content":"**选**","attachments":[{"callback_id":"id1","actions":[{"name":"b1","value":"1","text":"1","type":"button","replace_text":"已选择：1"}]}]},"visible_to_user":"lisi"}`},
		{"aibot group stream with typed hints", aiGroup, Reply{Text: "确认？", Buttons: yesNo},
			`{"msgtype":"stream","stream":{"id":"id1","finish":true,"content":"确认？\n\n请回复：Y（确认） / N（取消）"}}`},
		{"aibot single card", aiSingle, Reply{Text: "**确认上报**\n疏散演练 11月9日", Markdown: true, Buttons: yesNo},
			`{"msgtype":"template_card","template_card":{"card_type":"button_interaction","main_title":{"title":"确认上报"},"sub_title_text":"疏散演练 11月9日","task_id":"id1",` +
				`"button_list":[{"text":"确认","style":1,"key":"Y"},{"text":"取消","style":2,"key":"N"}]}}`},
		{"aibot single, 7 buttons fall back to hints", aiSingle, Reply{Text: "选", Buttons: []Button{{Value: "1"}, {Value: "2"}, {Value: "3"}, {Value: "4"}, {Value: "5"}, {Value: "6"}, {Value: "7"}}},
			`{"msgtype":"stream","stream":{"id":"id1","finish":true,"content":"选\n\n请回复：1 / 2 / 3 / 4 / 5 / 6 / 7"}}`},
		{"aibot enter_chat text", aiEnter, Reply{Text: "你好"}, `{"msgtype":"text","text":{"content":"你好"}}`},
		{"aibot stream refresh keeps id", aiStream, Reply{Text: "done", Markdown: true},
			`{"msgtype":"stream","stream":{"id":"s77","finish":true,"content":"done"}}`},
		{"app text flattens markdown", appText, Reply{Text: "## 标题\n**粗** <font color=\"warning\">红</font> [链接](https://x)", Markdown: true},
			`<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[ww_corp]]></FromUserName><CreateTime>1700000100</CreateTime>` +
				`<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[标题` + "\n" + `粗 红 链接 https://x]]></Content></xml>`},
		{"app click update_button", appClick, Reply{ReplaceButton: "已确认"},
			`<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[ww_corp]]></FromUserName><CreateTime>1700000100</CreateTime>` +
				`<MsgType><![CDATA[update_button]]></MsgType><Button><ReplaceName><![CDATA[已确认]]></ReplaceName></Button></xml>`},
		{"empty reply", robotX, NoReply, ""},
		{"robot drops ReplaceButton only", robotX, Reply{ReplaceButton: "x"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := testRenderer().Render(tt.m, tt.r)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if len(got) > 0 && tt.m.Format == FormatJSON && !json.Valid(got) {
				t.Error("invalid JSON")
			}
		})
	}
}

func TestRenderAppCorpIDOverride(t *testing.T) {
	rd := testRenderer()
	rd.CorpID = "wwOverride"
	got, err := rd.Render(mustParse(t, ChannelApp, FormatXML, appMsg(`<MsgType>text</MsgType><Content>x</Content><MsgId>1</MsgId>`)), Reply{Text: "y"})
	if err != nil || !strings.Contains(string(got), "<FromUserName><![CDATA[wwOverride]]></FromUserName>") {
		t.Errorf("%s %v", got, err)
	}
}

func TestRenderErrors(t *testing.T) {
	robotX := mustParse(t, ChannelRobot, FormatXML, exPlaintext)
	aiSingle := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"text","text":{"content":"hi"}`))
	appText := mustParse(t, ChannelApp, FormatXML, appMsg(`<MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId>`))
	appClick := mustParse(t, ChannelApp, FormatXML, appCardEvent)
	aiClick := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"event","event":{"eventtype":"template_card_event","template_card_event":{"event_key":"Y","task_id":"t"}}`))
	tests := []struct {
		name string
		m    *Message
		r    Reply
		want error
	}{
		{"robot value over 128 B", robotX, Reply{Text: "x", Buttons: []Button{{Value: strings.Repeat("v", 129)}}}, ErrButtonTooLong},
		{"robot empty value", robotX, Reply{Text: "x", Buttons: []Button{{Text: "t"}}}, ErrButtonTooLong},
		{"aibot card key over 1024 B", aiSingle, Reply{Text: "x", Buttons: []Button{{Value: strings.Repeat("v", 1025)}}}, ErrButtonTooLong},
		{"app buttons", appText, Reply{Text: "x", Buttons: []Button{{Value: "Y"}}}, ErrNotPassive},
		{"app click with text", appClick, Reply{Text: "好的", ReplaceButton: "已确认"}, ErrNotPassive},
		{"aibot click", aiClick, Reply{Text: "好的"}, ErrNotPassive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := testRenderer().Render(tt.m, tt.r); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRobotButtonLabelTruncated(t *testing.T) {
	robotX := mustParse(t, ChannelRobot, FormatXML, exPlaintext)
	long := strings.Repeat("确", 50) // 150 B
	got, err := testRenderer().Render(robotX, Reply{Text: "x", Buttons: []Button{{Text: long, Value: "Y"}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "<Text>" + strings.Repeat("确", 42) + "</Text>"; !strings.Contains(string(got), want) {
		t.Errorf("label not cut to 126 B on a rune boundary: %s", got)
	}
	if want := "<ReplaceText>已选择：" + strings.Repeat("确", 38) + "</ReplaceText>"; !strings.Contains(string(got), want) {
		t.Errorf("replace text not cut to 128 B: %s", got)
	}
}

func TestSplitReply(t *testing.T) {
	robotX := mustParse(t, ChannelRobot, FormatXML, exPlaintext)
	aiSingle := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"text","text":{"content":"hi"}`))
	aiClick := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"event","event":{"eventtype":"template_card_event","template_card_event":{"event_key":"Y","task_id":"t"}}`))
	aiFeedback := mustParse(t, ChannelAibot, FormatJSON, aibotMsg("single", `"msgtype":"event","event":{"eventtype":"feedback_event"}`))
	appText := mustParse(t, ChannelApp, FormatXML, appMsg(`<MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId>`))
	appClick := mustParse(t, ChannelApp, FormatXML, appCardEvent)
	btn := []Button{{Text: "是", Value: "Y"}}
	aiLong := long(20480) + "尾"
	aiCut := strings.LastIndexByte(aiLong[:20480], '\n') + 1 // the splitter cuts after a line break
	tests := []struct {
		name          string
		m             *Message
		r             Reply
		passive, push Reply
	}{
		{"robot all passive", robotX, Reply{Text: "a", Buttons: btn, ReplaceButton: "x"}, Reply{Text: "a", Buttons: btn}, NoReply},
		{"aibot message passive", aiSingle, Reply{Text: "a", Buttons: btn}, Reply{Text: "a", Buttons: btn}, NoReply},
		{"aibot click pushed", aiClick, Reply{Text: "a", ReplaceButton: "x"}, NoReply, Reply{Text: "a"}},
		{"aibot click replace only", aiClick, Reply{ReplaceButton: "x"}, NoReply, NoReply},
		{"aibot feedback pushed", aiFeedback, Reply{Text: "a"}, NoReply, Reply{Text: "a"}},
		{"app text passive", appText, Reply{Text: "a"}, Reply{Text: "a"}, NoReply},
		{"app buttons pushed", appText, Reply{Text: "a", Buttons: btn}, NoReply, Reply{Text: "a", Buttons: btn}},
		{"app click split", appClick, Reply{Text: "a", ReplaceButton: "x"}, Reply{ReplaceButton: "x"}, Reply{Text: "a"}},
		{"app click replace only", appClick, Reply{ReplaceButton: "x"}, Reply{ReplaceButton: "x"}, NoReply},
		{"nothing", appClick, NoReply, NoReply, NoReply},
		// Above the channel's passive limit: pushed (the push path splits).
		{"app text at the limit passive", appText, Reply{Text: long(2048)}, Reply{Text: long(2048)}, NoReply},
		{"app text over the limit pushed", appText, Reply{Text: long(2049)}, NoReply, Reply{Text: long(2049)}},
		{"app markdown measured flattened", appText, Reply{Text: "**" + long(2048) + "**", Markdown: true},
			Reply{Text: "**" + long(2048) + "**", Markdown: true}, NoReply},
		{"app click text over the limit", appClick, Reply{Text: long(3000), ReplaceButton: "x"}, Reply{ReplaceButton: "x"}, Reply{Text: long(3000)}},
		{"robot text over 2048 pushed", robotX, Reply{Text: long(2049), Mentions: []string{"u"}}, NoReply, Reply{Text: long(2049), Mentions: []string{"u"}}},
		{"robot markdown 4096 passive", robotX, Reply{Text: long(4096), Markdown: true}, Reply{Text: long(4096), Markdown: true}, NoReply},
		{"robot markdown with mention over 4096 pushed", robotX, Reply{Text: long(4090), Markdown: true, Mentions: []string{"lisi"}},
			NoReply, Reply{Text: long(4090), Markdown: true, Mentions: []string{"lisi"}}},
		{"robot buttons over 4096 pushed", robotX, Reply{Text: long(5000), Buttons: btn}, NoReply, Reply{Text: long(5000), Buttons: btn}},
		{"aibot stream over 20480: first part passive, rest pushed", aiSingle, Reply{Text: aiLong, Markdown: true},
			Reply{Text: aiLong[:aiCut], Markdown: true}, Reply{Text: aiLong[aiCut:], Markdown: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			passive, push := SplitReply(tt.m, tt.r)
			if diff := cmp.Diff(tt.passive, passive); diff != "" {
				t.Errorf("passive (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.push, push); diff != "" {
				t.Errorf("push (-want +got):\n%s", diff)
			}
			if CanPassive(tt.m, tt.r) != push.IsEmpty() {
				t.Error("CanPassive disagrees with SplitReply")
			}
		})
	}
}

func TestNewButtonCard(t *testing.T) {
	long := strings.Repeat("长", 40)
	c, err := NewButtonCard(Reply{Text: long + "\n第二行", Buttons: []Button{{Value: "Y"}}}, "t1")
	if err != nil {
		t.Fatal(err)
	}
	if c.MainTitle.Title != "请选择" || c.SubTitleText != long+"\n第二行" || c.ButtonList[0].Text != "Y" {
		t.Errorf("long title card = %+v", c)
	}
	if _, err := NewButtonCard(Reply{Text: "x"}, "t"); !errors.Is(err, ErrTooManyButtons) {
		t.Errorf("no buttons: %v", err)
	}
	seven := make([]Button, 7)
	for i := range seven {
		seven[i] = Button{Value: strconv.Itoa(i)}
	}
	if _, err := NewButtonCard(Reply{Buttons: seven}, "t"); !errors.Is(err, ErrTooManyButtons) {
		t.Errorf("seven buttons: %v", err)
	}
}

func TestWithButtonHints(t *testing.T) {
	got := WithButtonHints(Reply{Buttons: []Button{{Text: "是", Value: "是"}, {Value: "否"}}})
	if diff := cmp.Diff(Reply{Text: "请回复：是 / 否"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// long is n bytes of text ("a" and line breaks).
func long(n int) string {
	b := []byte(strings.Repeat("a", n))
	for i := 99; i < n; i += 100 {
		b[i] = '\n'
	}
	return string(b)
}
