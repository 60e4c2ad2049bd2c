package bot

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// robotXMLMsg wraps a payload in the common robot fields.
func robotXMLMsg(chatType, body string) string {
	return `<xml><WebhookUrl><![CDATA[https://in.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K1]]></WebhookUrl>` +
		`<MsgId><![CDATA[M1]]></MsgId><ChatId><![CDATA[wrkC1]]></ChatId><ChatType>` + chatType + `</ChatType>` +
		`<From><UserId>lisi</UserId><Name><![CDATA[李四]]></Name><Alias><![CDATA[lisi]]></Alias></From>` +
		`<GetChatInfoUrl><![CDATA[https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=C]]></GetChatInfoUrl>` + body + `</xml>`
}

func robotJSONMsg(chatType, body string) string {
	return `{"webhook_url":"https://in.qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K1","msgid":"M1","chatid":"wrkC1",` +
		`"chattype":"` + chatType + `","from":{"userid":"lisi","name":"李四","alias":"lisi"},` +
		`"get_chat_info_url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=C",` + body + `}`
}

// robotBase is the Message the common fields above produce.
func robotBase(f Format, ct ChatType, kind Kind, rawType string) Message {
	return Message{
		Channel: ChannelRobot, Format: f, Kind: kind, RawType: rawType,
		ChatID: "wrkC1", ChatType: ct, SenderID: "lisi", SenderName: "李四",
		MsgID: "M1", DedupeKey: "robot:M1", WebhookKey: "K1",
		ChatInfoURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=C",
	}
}

func TestParseRobot(t *testing.T) {
	with := func(m Message, edit func(*Message)) *Message { edit(&m); return &m }
	tests := []struct {
		name  string
		f     Format
		in    string
		robot string
		want  *Message
	}{
		{"worked example", FormatXML, exPlaintext, "RemindBot", &Message{
			Channel: ChannelRobot, Format: FormatXML, Kind: KindText, RawType: "text",
			ChatID: "wrkTESTCHAT01", ChatType: ChatGroup, SenderID: "zhangsan", SenderName: "Zhang San",
			Text: "confirm 42", RawText: "@RemindBot confirm 42",
			MsgID: "MSGID-0001", DedupeKey: "robot:MSGID-0001", WebhookKey: "KEY-FOR-TEST",
			ChatInfoURL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=CODE",
		}},
		{"group text, robot name unknown", FormatXML,
			robotXMLMsg("group", `<MsgType>text</MsgType><Text><Content><![CDATA[@小火 上报 疏散演练]]></Content></Text>`), "",
			with(robotBase(FormatXML, ChatGroup, KindText, "text"), func(m *Message) {
				m.Text, m.RawText = "上报 疏散演练", "@小火 上报 疏散演练"
			})},
		{"group text, name with a space and U+2005", FormatXML,
			robotXMLMsg("group", "<MsgType>text</MsgType><Text><Content><![CDATA[@Fire Bot\u2005帮助]]></Content></Text>"), "Fire Bot",
			with(robotBase(FormatXML, ChatGroup, KindText, "text"), func(m *Message) {
				m.Text, m.RawText = "帮助", "@Fire Bot\u2005帮助"
			})},
		{"single text keeps a leading @token", FormatXML,
			robotXMLMsg("single", `<MsgType>text</MsgType><Text><Content>@home 123</Content></Text>`), "RemindBot",
			with(robotBase(FormatXML, ChatSingle, KindText, "text"), func(m *Message) {
				m.Text, m.RawText = "@home 123", "@home 123"
			})},
		{"image", FormatXML,
			robotXMLMsg("single", `<MsgType>image</MsgType><Image><ImageUrl><![CDATA[https://img/1.jpg]]></ImageUrl></Image>`), "",
			with(robotBase(FormatXML, ChatSingle, KindImage, "image"), func(m *Message) {
				m.Images = []Image{{URL: "https://img/1.jpg"}}
			})},
		{"mixed", FormatXML,
			robotXMLMsg("group", `<MsgType>mixed</MsgType><MixedMessage>`+
				`<MsgItem><MsgType>text</MsgType><Text><Content><![CDATA[@RemindBot 活动照片]]></Content></Text></MsgItem>`+
				`<MsgItem><MsgType>image</MsgType><Image><ImageUrl><![CDATA[https://img/a.jpg]]></ImageUrl></Image></MsgItem>`+
				`<MsgItem><MsgType>image</MsgType><Image><ImageUrl><![CDATA[https://img/b.jpg]]></ImageUrl></Image></MsgItem>`+
				`</MixedMessage>`), "RemindBot",
			with(robotBase(FormatXML, ChatGroup, KindMixed, "mixed"), func(m *Message) {
				m.Text, m.RawText = "活动照片", "@RemindBot 活动照片"
				m.Images = []Image{{URL: "https://img/a.jpg"}, {URL: "https://img/b.jpg"}}
			})},
		{"event add_to_chat", FormatXML,
			robotXMLMsg("group", `<MsgType>event</MsgType><Event><EventType>add_to_chat</EventType></Event><AppVersion>1</AppVersion>`), "",
			with(robotBase(FormatXML, ChatGroup, KindEvent, "event"), func(m *Message) { m.Event = EventAddToChat })},
		{"attachment click", FormatXML,
			robotXMLMsg("group", `<MsgType>attachment</MsgType><Attachment><CallbackId><![CDATA[cb1]]></CallbackId>`+
				`<Actions><Name><![CDATA[b1]]></Name><Value><![CDATA[确认]]></Value><Type><![CDATA[button]]></Type></Actions></Attachment>`), "",
			with(robotBase(FormatXML, ChatGroup, KindClick, "attachment"), func(m *Message) {
				m.Text, m.RawText = "确认", "确认"
				m.Click = &Click{CallbackID: "cb1", Key: "确认"}
			})},
		{"blackboard and unknown type", FormatXML,
			robotXMLMsg("blackboard", `<PostId>P9</PostId><MsgType>video</MsgType>`), "",
			with(robotBase(FormatXML, "blackboard", KindOther, "video"), func(m *Message) { m.PostID = "P9" })},
		{"json text", FormatJSON,
			robotJSONMsg("group", `"msgtype":"text","text":{"content":"@RemindBot 截止"}`), "RemindBot",
			with(robotBase(FormatJSON, ChatGroup, KindText, "text"), func(m *Message) {
				m.Text, m.RawText = "截止", "@RemindBot 截止"
			})},
		{"json image", FormatJSON,
			robotJSONMsg("single", `"msgtype":"image","image":{"image_url":"https://img/1.jpg"}`), "",
			with(robotBase(FormatJSON, ChatSingle, KindImage, "image"), func(m *Message) {
				m.Images = []Image{{URL: "https://img/1.jpg"}}
			})},
		{"json mixed", FormatJSON,
			robotJSONMsg("single", `"msgtype":"mixed","mixed_message":{"msg_item":[{"msg_type":"text","text":{"content":"图"}},{"msg_type":"image","image":{"image_url":"https://img/x.png"}}]}`), "",
			with(robotBase(FormatJSON, ChatSingle, KindMixed, "mixed"), func(m *Message) {
				m.Text, m.RawText = "图", "图"
				m.Images = []Image{{URL: "https://img/x.png"}}
			})},
		{"json event", FormatJSON,
			robotJSONMsg("group", `"msgtype":"event","event":{"event_type":"delete_from_chat"}`), "",
			with(robotBase(FormatJSON, ChatGroup, KindEvent, "event"), func(m *Message) { m.Event = EventDeleteFromChat })},
		{"json attachment, actions array", FormatJSON,
			robotJSONMsg("group", `"msgtype":"attachment","attachment":{"callbackid":"cb2","actions":[{"name":"b2","value":"N","type":"button"}]}`), "",
			with(robotBase(FormatJSON, ChatGroup, KindClick, "attachment"), func(m *Message) {
				m.Text, m.RawText = "N", "N"
				m.Click = &Click{CallbackID: "cb2", Key: "N"}
			})},
		{"json attachment, actions object, numeric msgid", FormatJSON,
			strings.Replace(robotJSONMsg("group", `"msgtype":"attachment","attachment":{"callbackid":"cb2","actions":{"name":"b2","value":"Y","type":"button"}}`), `"msgid":"M1"`, `"msgid":1`, 1), "",
			with(robotBase(FormatJSON, ChatGroup, KindClick, "attachment"), func(m *Message) {
				m.MsgID, m.DedupeKey = "1", "robot:1"
				m.Text, m.RawText = "Y", "Y"
				m.Click = &Click{CallbackID: "cb2", Key: "Y"}
			})},
		{"json attachment spelled callback_id", FormatJSON,
			robotJSONMsg("group", `"msgtype":"attachment","attachment":{"callback_id":"cb3","actions":[{"name":"b1","value":"Y","type":"button"}]}`), "",
			with(robotBase(FormatJSON, ChatGroup, KindClick, "attachment"), func(m *Message) {
				m.Text, m.RawText = "Y", "Y"
				m.Click = &Click{CallbackID: "cb3", Key: "Y"}
			})},
		{"webhook url with more than its key keeps the whole query", FormatJSON,
			strings.Replace(robotJSONMsg("single", `"msgtype":"text","text":{"content":"hi"}`), "key=K1", "key=K1&chan=corp%2F7", 1), "",
			with(robotBase(FormatJSON, ChatSingle, KindText, "text"), func(m *Message) {
				m.Text, m.RawText = "hi", "hi"
				m.WebhookKey = "key=K1&chan=corp%2F7"
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRobot([]byte(tt.in), tt.f, tt.robot)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRobotEventWithoutMsgID(t *testing.T) {
	in := `<xml><ChatId>wrkC1</ChatId><ChatType>group</ChatType><MsgType>event</MsgType><Event><EventType>add_to_chat</EventType></Event></xml>`
	a, err := ParseRobot([]byte(in), FormatXML, "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ParseRobot([]byte(in), FormatXML, "")
	if !strings.HasPrefix(a.DedupeKey, "robot:sha256:") || a.DedupeKey != b.DedupeKey {
		t.Errorf("fallback dedupe keys %q %q", a.DedupeKey, b.DedupeKey)
	}
}

func TestParseRobotErrors(t *testing.T) {
	tests := []struct {
		name string
		f    Format
		in   string
		want error
	}{
		{"not xml", FormatXML, "hello", ErrBadPayload},
		{"wrong root", FormatXML, "<msg><MsgType>text</MsgType></msg>", ErrBadPayload},
		{"truncated", FormatXML, exPlaintext[:200], ErrBadPayload},
		{"json given as xml", FormatXML, robotJSONMsg("group", `"msgtype":"text"`), ErrBadPayload},
		{"no MsgType", FormatXML, robotXMLMsg("group", `<Text><Content>x</Content></Text>`), ErrMissingField},
		{"no ChatId", FormatXML, strings.Replace(exPlaintext, "wrkTESTCHAT01", "", 1), ErrMissingField},
		{"no MsgId", FormatXML, strings.Replace(exPlaintext, "MSGID-0001", " ", 1), ErrMissingField},
		{"no sender", FormatXML, strings.Replace(exPlaintext, "<UserId>zhangsan</UserId>", "", 1), ErrMissingField},
		{"image without url", FormatXML, robotXMLMsg("single", `<MsgType>image</MsgType>`), ErrMissingField},
		{"mixed without items", FormatXML, robotXMLMsg("single", `<MsgType>mixed</MsgType><MixedMessage></MixedMessage>`), ErrMissingField},
		{"event without type", FormatXML, robotXMLMsg("group", `<MsgType>event</MsgType>`), ErrMissingField},
		{"attachment without actions", FormatXML, robotXMLMsg("group", `<MsgType>attachment</MsgType><Attachment><CallbackId>c</CallbackId></Attachment>`), ErrMissingField},
		{"not json", FormatJSON, exPlaintext, ErrBadPayload},
		{"json wrong type", FormatJSON, `{"msgtype":1}`, ErrBadPayload},
		{"json actions garbage", FormatJSON, robotJSONMsg("group", `"msgtype":"attachment","attachment":{"actions":"x"}`), ErrBadPayload},
		{"json no chatid", FormatJSON, `{"msgid":"1","msgtype":"text","text":{"content":"x"}}`, ErrMissingField},
		{"json empty object", FormatJSON, `{}`, ErrMissingField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseRobot([]byte(tt.in), tt.f, "RemindBot")
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v (message %+v)", err, tt.want, m)
			}
		})
	}
}

func TestStripMention(t *testing.T) {
	tests := []struct {
		text, robot string
		group       bool
		want        string
	}{
		{"@RemindBot confirm 42", "RemindBot", true, "confirm 42"},
		{"@RemindBot", "RemindBot", true, ""},
		{"  @RemindBot\u2005 帮助 ", "RemindBot", false, "帮助"},
		{"@RemindBotX hi", "RemindBot", false, "@RemindBotX hi"},
		{"@RemindBotX hi", "RemindBot", true, "hi"},
		{"@someone hi", "", true, "hi"},
		{"@someone", "", true, ""},
		{"hi @RemindBot", "RemindBot", true, "hi @RemindBot"},
		{"hello", "", true, "hello"},
		{"@x hi", "", false, "@x hi"},
	}
	for _, tt := range tests {
		if got := StripMention(tt.text, tt.robot, tt.group); got != tt.want {
			t.Errorf("StripMention(%q, %q, %v) = %q, want %q", tt.text, tt.robot, tt.group, got, tt.want)
		}
	}
}
