package bot

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// appCardEvent is the template_card_event of the fact sheet (§5), with
// CDATA-wrapped values as WeCom sends them.
const appCardEvent = `<xml><ToUserName><![CDATA[ww_corp]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime>
<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[btn_yes]]></EventKey><TaskId><![CDATA[task-42]]></TaskId>
<CardType><![CDATA[vote_interaction]]></CardType><ResponseCode><![CDATA[RC]]></ResponseCode><AgentID>1000002</AgentID>
<SelectedItems><SelectedItem><QuestionKey><![CDATA[q1]]></QuestionKey><OptionIds><OptionId><![CDATA[opt_a]]></OptionId></OptionIds></SelectedItem></SelectedItems></xml>`

func appMsg(body string) string {
	return `<xml><ToUserName><![CDATA[ww_corp]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>` +
		`<CreateTime>1700000000</CreateTime>` + body + `<AgentID>1000002</AgentID></xml>`
}

func appBase(kind Kind, rawType string) Message {
	return Message{
		Channel: ChannelApp, Format: FormatXML, Kind: kind, RawType: rawType,
		ChatID: "zhangsan", ChatType: ChatSingle, SenderID: "zhangsan", ToID: "ww_corp", AgentID: "1000002",
		CreateTime: time.Unix(1700000000, 0),
	}
}

func TestParseApp(t *testing.T) {
	with := func(m Message, edit func(*Message)) *Message { edit(&m); return &m }
	tests := []struct {
		name string
		in   string
		want *Message
	}{
		{"template_card_event", appCardEvent, with(appBase(KindClick, "event"), func(m *Message) {
			m.Event = EventTemplateCard
			m.Text, m.RawText = "btn_yes", "btn_yes"
			m.DedupeKey = "app:zhangsan:1700000000:template_card_event:btn_yes:task-42"
			m.Click = &Click{TaskID: "task-42", CardType: "vote_interaction", Key: "btn_yes", ResponseCode: "RC",
				Selected: map[string][]string{"q1": {"opt_a"}}}
		})},
		{"text", appMsg(`<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ 上报 ]]></Content><MsgId>7301234567890123456</MsgId>`),
			with(appBase(KindText, "text"), func(m *Message) {
				m.Text, m.RawText = "上报", " 上报 "
				m.MsgID, m.DedupeKey = "7301234567890123456", "app:7301234567890123456"
			})},
		{"text keeps @", appMsg(`<MsgType>text</MsgType><Content>@all 你好</Content><MsgId>1</MsgId>`),
			with(appBase(KindText, "text"), func(m *Message) {
				m.Text, m.RawText = "@all 你好", "@all 你好"
				m.MsgID, m.DedupeKey = "1", "app:1"
			})},
		{"image", appMsg(`<MsgType>image</MsgType><PicUrl><![CDATA[https://p/1]]></PicUrl><MediaId><![CDATA[MID]]></MediaId><MsgId>2</MsgId>`),
			with(appBase(KindImage, "image"), func(m *Message) {
				m.Images = []Image{{URL: "https://p/1", MediaID: "MID"}}
				m.MsgID, m.DedupeKey = "2", "app:2"
			})},
		{"voice", appMsg(`<MsgType>voice</MsgType><MediaId>V</MediaId><Format>amr</Format><MsgId>3</MsgId>`),
			with(appBase(KindVoice, "voice"), func(m *Message) { m.MsgID, m.DedupeKey = "3", "app:3" })},
		{"enter_agent", appMsg(`<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey>`),
			with(appBase(KindEvent, "event"), func(m *Message) {
				m.Event = EventEnterAgent
				m.DedupeKey = "app:zhangsan:1700000000:enter_agent::"
			})},
		{"card menu event", appMsg(`<MsgType>event</MsgType><Event>template_card_menu_event</Event><EventKey>mute</EventKey><TaskId>t9</TaskId><CardType>text_notice</CardType><ResponseCode>R2</ResponseCode>`),
			with(appBase(KindClick, "event"), func(m *Message) {
				m.Event = EventCardMenu
				m.Text, m.RawText = "mute", "mute"
				m.DedupeKey = "app:zhangsan:1700000000:template_card_menu_event:mute:t9"
				m.Click = &Click{TaskID: "t9", CardType: "text_notice", Key: "mute", ResponseCode: "R2"}
			})},
		{"location is other", appMsg(`<MsgType>location</MsgType><MsgId>4</MsgId>`),
			with(appBase(KindOther, "location"), func(m *Message) { m.MsgID, m.DedupeKey = "4", "app:4" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseApp([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAppErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"not xml", `{"msgtype":"text"}`, ErrBadPayload},
		{"wrong root", `<root><MsgType>text</MsgType></root>`, ErrBadPayload},
		{"unclosed", appCardEvent[:120], ErrBadPayload},
		{"bad CreateTime", `<xml><FromUserName>u</FromUserName><CreateTime>yesterday</CreateTime><MsgType>text</MsgType><MsgId>1</MsgId></xml>`, ErrBadPayload},
		{"no MsgType", appMsg(`<Content>x</Content><MsgId>1</MsgId>`), ErrMissingField},
		{"no FromUserName", `<xml><MsgType>text</MsgType><MsgId>1</MsgId></xml>`, ErrMissingField},
		{"text without MsgId", appMsg(`<MsgType>text</MsgType><Content>x</Content>`), ErrMissingField},
		{"event without Event", appMsg(`<MsgType>event</MsgType>`), ErrMissingField},
		{"event without CreateTime", `<xml><FromUserName>u</FromUserName><MsgType>event</MsgType><Event>enter_agent</Event></xml>`, ErrMissingField},
		{"image without url or media", appMsg(`<MsgType>image</MsgType><MsgId>1</MsgId>`), ErrMissingField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m, err := ParseApp([]byte(tt.in)); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v (message %+v)", err, tt.want, m)
			}
		})
	}
}

func TestParseDispatch(t *testing.T) {
	if m, err := Parse(ChannelRobot, FormatXML, []byte(exPlaintext), "RemindBot"); err != nil || m.Text != "confirm 42" {
		t.Errorf("robot: %+v %v", m, err)
	}
	if m, err := Parse(ChannelApp, FormatXML, []byte(appCardEvent), ""); err != nil || m.Click == nil {
		t.Errorf("app: %+v %v", m, err)
	}
	if m, err := Parse(ChannelAibot, FormatJSON, []byte(aibotMsg("single", `"msgtype":"text","text":{"content":"x"}`)), ""); err != nil || m.Text != "x" {
		t.Errorf("aibot: %+v %v", m, err)
	}
	if _, err := Parse("fax", FormatXML, nil, ""); err == nil {
		t.Error("unknown channel accepted")
	}
}
