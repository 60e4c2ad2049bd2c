package bot_test

import (
	"fmt"
	neturl "net/url"

	"firebot/bot"
)

// The fact sheet's worked example (§8.3), end to end: verify the URL, open
// the robot's text callback, parse it, and render a passive reply.
func Example() {
	codec, err := bot.NewCodec("QwBotTestToken", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", "", nil)
	if err != nil {
		panic(err)
	}

	// GET: the echostr arrives percent-encoded.
	q := neturl.Values{
		"msg_signature": {"55459727f46c95175d6851229daa890dbb70d653"},
		"timestamp":     {"1700000000"},
		"nonce":         {"1234567890"},
		"echostr":       {"4j/AuRx71kQlxVlzbpsMWNy3n/Pn35SYLfBk+4+Y41gV8boWrQGM41U/g7rg59a2BwQkawLCtGMHhfJdflRz9Q=="},
	}
	p, _ := bot.ParseParams(q.Encode())
	echo, err := codec.VerifyURL(p)
	fmt.Printf("echo %s %v\n", echo, err)

	// POST: a group-robot callback (sealed here the way WeCom seals it).
	plain := `<xml><ChatId>wrkC1</ChatId><ChatType>group</ChatType><MsgId>M1</MsgId>` +
		`<From><UserId>zhangsan</UserId><Name>张三</Name></From><MsgType>text</MsgType>` +
		`<Text><Content>@RemindBot 上报 疏散演练</Content></Text></xml>`
	query, body, _ := codec.SealRequest([]byte(plain), "1700000000", "1234567890", bot.Envelope{}, bot.FormatXML)
	p, _ = bot.ParseParams(query.Encode())
	f := bot.FormatOf(bot.ChannelRobot, query.Encode())
	opened, err := codec.Open(p, body, f)
	if err != nil {
		panic(err)
	}
	m, err := bot.Parse(bot.ChannelRobot, f, opened, "RemindBot")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s from %s in %s: %q (dedupe %s)\n", m.Kind, m.SenderName, m.ChatID, m.Text, m.DedupeKey)

	reply := bot.Reply{Text: "确认上报「疏散演练」？", Buttons: []bot.Button{{Text: "确认", Value: "是"}, {Text: "取消", Value: "否"}}}
	passive, push := bot.SplitReply(m, reply)
	out, _ := bot.Renderer{NewID: func() string { return "cb1" }}.Render(m, passive)
	fmt.Println(string(out))
	fmt.Println("to push:", push.IsEmpty() == false)
	// Output:
	// echo 7049213356270158873 <nil>
	// text from 张三 in wrkC1: "上报 疏散演练" (dedupe robot:M1)
	// <xml><MsgType>markdown</MsgType><Markdown><Content><![CDATA[确认上报「疏散演练」？]]></Content><Attachment><CallbackId>cb1</CallbackId><Actions><Name>b1</Name><Value>是</Value><Text>确认</Text><Type>button</Type><ReplaceText>已选择：确认</ReplaceText></Actions><Actions><Name>b2</Name><Value>否</Value><Text>取消</Text><Type>button</Type><ReplaceText>已选择：取消</ReplaceText></Actions></Attachment></Markdown></xml>
	// to push: false
}
