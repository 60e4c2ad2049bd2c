package bot

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const aibotResp = "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC"

func aibotMsg(chatType, body string) string {
	chat := ""
	if chatType == "group" {
		chat = `"chatid":"wrkG1",`
	}
	return `{"msgid":"A1","aibotid":"bot1",` + chat + `"chattype":"` + chatType + `","from":{"userid":"wangwu"},` +
		`"response_url":"` + aibotResp + `",` + body + `}`
}

func aibotBase(ct ChatType, kind Kind, rawType string) Message {
	chat := "wangwu"
	if ct == ChatGroup {
		chat = "wrkG1"
	}
	return Message{
		Channel: ChannelAibot, Format: FormatJSON, Kind: kind, RawType: rawType,
		ChatID: chat, ChatType: ct, SenderID: "wangwu", AgentID: "bot1",
		MsgID: "A1", DedupeKey: "aibot:A1", ResponseURL: aibotResp,
	}
}

func TestParseAibot(t *testing.T) {
	with := func(m Message, edit func(*Message)) *Message { edit(&m); return &m }
	tests := []struct {
		name string
		in   string
		want *Message
	}{
		{"group text", aibotMsg("group", `"msgtype":"text","text":{"content":"@RobotA hello robot"}`),
			with(aibotBase(ChatGroup, KindText, "text"), func(m *Message) {
				m.Text, m.RawText = "hello robot", "@RobotA hello robot"
			})},
		{"single text, quote ignored", aibotMsg("single", `"msgtype":"text","text":{"content":"统计"},"quote":{"msgtype":"text","text":{"content":"old"}}`),
			with(aibotBase(ChatSingle, KindText, "text"), func(m *Message) { m.Text, m.RawText = "统计", "统计" })},
		{"image is encrypted", aibotMsg("single", `"msgtype":"image","image":{"url":"https://ww/img"}`),
			with(aibotBase(ChatSingle, KindImage, "image"), func(m *Message) {
				m.Images = []Image{{URL: "https://ww/img", Encrypted: true}}
			})},
		{"file", aibotMsg("single", `"msgtype":"file","file":{"url":"https://ww/f"}`),
			with(aibotBase(ChatSingle, KindFile, "file"), func(m *Message) {
				m.Files = []File{{URL: "https://ww/f", Encrypted: true}}
			})},
		{"voice", aibotMsg("single", `"msgtype":"voice","voice":{"content":" 上报演练 "}`),
			with(aibotBase(ChatSingle, KindVoice, "voice"), func(m *Message) { m.Text, m.RawText = "上报演练", " 上报演练 " })},
		{"mixed", aibotMsg("group", `"msgtype":"mixed","mixed":{"msg_item":[{"msgtype":"text","text":{"content":"@RobotA 照片"}},{"msgtype":"image","image":{"url":"https://ww/1"}}]}`),
			with(aibotBase(ChatGroup, KindMixed, "mixed"), func(m *Message) {
				m.Text, m.RawText = "照片", "@RobotA 照片"
				m.Images = []Image{{URL: "https://ww/1", Encrypted: true}}
			})},
		{"stream refresh", `{"msgid":"A2","aibotid":"bot1","chattype":"single","from":{"userid":"wangwu"},"msgtype":"stream","stream":{"id":"s1"}}`,
			&Message{Channel: ChannelAibot, Format: FormatJSON, Kind: KindStream, RawType: "stream", ChatID: "wangwu", ChatType: ChatSingle,
				SenderID: "wangwu", AgentID: "bot1", MsgID: "A2", DedupeKey: "aibot:A2", StreamID: "s1"}},
		{"enter_chat", `{"msgid":"E1","create_time":1700000000,"aibotid":"bot1","chattype":"single","from":{"userid":"wangwu","corpid":"wwc"},"msgtype":"event","event":{"eventtype":"enter_chat","enter_chat":{}}}`,
			&Message{Channel: ChannelAibot, Format: FormatJSON, Kind: KindEvent, RawType: "event", ChatID: "wangwu", ChatType: ChatSingle,
				SenderID: "wangwu", ToID: "wwc", AgentID: "bot1", Event: EventEnterChat, MsgID: "E1", DedupeKey: "aibot:E1",
				CreateTime: time.Unix(1700000000, 0)}},
		{"template_card_event", aibotMsg("single", `"create_time":"1700000001","msgtype":"event","event":{"eventtype":"template_card_event","template_card_event":`+
			`{"card_type":"vote_interaction","event_key":"submit","task_id":"T1","selected_items":{"selected_item":[`+
			`{"question_key":"q1","option_ids":{"option_id":["a","b"]}},{"question_key":"q2","option_ids":{"option_id":[]}}]}}}`),
			with(aibotBase(ChatSingle, KindClick, "event"), func(m *Message) {
				m.Event = EventTemplateCard
				m.Text, m.RawText = "submit", "submit"
				m.CreateTime = time.Unix(1700000001, 0)
				m.Click = &Click{TaskID: "T1", CardType: "vote_interaction", Key: "submit",
					Selected: map[string][]string{"q1": {"a", "b"}, "q2": {}}}
			})},
		{"feedback_event", aibotMsg("single", `"msgtype":"event","event":{"eventtype":"feedback_event","feedback_event":{"id":"f1","type":2}}`),
			with(aibotBase(ChatSingle, KindEvent, "event"), func(m *Message) { m.Event = EventFeedback })},
		{"unknown type", aibotMsg("single", `"msgtype":"location"`),
			with(aibotBase(ChatSingle, KindOther, "location"), func(m *Message) {})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseAibot([]byte(tt.in), "RobotA")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAibotErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     error
	}{
		{"not json", "<xml/>", ErrBadPayload},
		{"truncated", aibotMsg("single", `"msgtype":"text","text":{"content":"x"}`)[:50], ErrBadPayload},
		{"text is a string", aibotMsg("single", `"msgtype":"text","text":"x"`), ErrBadPayload},
		{"bad create_time", aibotMsg("single", `"create_time":"soon","msgtype":"event","event":{"eventtype":"enter_chat"}`), ErrBadPayload},
		{"no msgtype", aibotMsg("single", `"text":{"content":"x"}`), ErrMissingField},
		{"no msgid", strings.Replace(aibotMsg("single", `"msgtype":"text","text":{"content":"x"}`), `"msgid":"A1",`, "", 1), ErrMissingField},
		{"no sender", strings.Replace(aibotMsg("single", `"msgtype":"text","text":{"content":"x"}`), `"userid":"wangwu"`, "", 1), ErrMissingField},
		{"text without text", aibotMsg("single", `"msgtype":"text"`), ErrMissingField},
		{"image without url", aibotMsg("single", `"msgtype":"image","image":{}`), ErrMissingField},
		{"file without url", aibotMsg("single", `"msgtype":"file"`), ErrMissingField},
		{"voice without voice", aibotMsg("single", `"msgtype":"voice"`), ErrMissingField},
		{"mixed empty", aibotMsg("single", `"msgtype":"mixed","mixed":{"msg_item":[]}`), ErrMissingField},
		{"stream without id", aibotMsg("single", `"msgtype":"stream","stream":{}`), ErrMissingField},
		{"event without type", aibotMsg("single", `"msgtype":"event","event":{}`), ErrMissingField},
		{"card event without body", aibotMsg("single", `"msgtype":"event","event":{"eventtype":"template_card_event"}`), ErrMissingField},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m, err := ParseAibot([]byte(tt.in), ""); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v (message %+v)", err, tt.want, m)
			}
		})
	}
}

func TestParseAibotStreamFallbackKey(t *testing.T) {
	in := `{"msgtype":"stream","stream":{"id":"s1"}}`
	m, err := ParseAibot([]byte(in), "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.DedupeKey, "aibot:sha256:") {
		t.Errorf("DedupeKey = %q", m.DedupeKey)
	}
}
