package bot

// Vectors from the protocol fact sheet (§8.3 worked example, §8.4 official
// WXBizMsgCrypt sample).
const (
	exToken     = "QwBotTestToken"
	exAESKey    = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
	exRandom    = "0123456789abcdef"
	exTimestamp = "1700000000"
	exNonce     = "1234567890"
	exPlaintext = `<xml><WebhookUrl><![CDATA[https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-FOR-TEST]]></WebhookUrl><MsgId><![CDATA[MSGID-0001]]></MsgId><ChatId><![CDATA[wrkTESTCHAT01]]></ChatId><ChatType>group</ChatType><From><UserId>zhangsan</UserId><Name><![CDATA[Zhang San]]></Name><Alias><![CDATA[zhangsan]]></Alias></From><GetChatInfoUrl><![CDATA[https://qyapi.weixin.qq.com/cgi-bin/webhook/get_chat_info?code=CODE]]></GetChatInfoUrl><MsgType>text</MsgType><Text><Content><![CDATA[@RemindBot confirm 42]]></Content></Text></xml>`
	exEncrypt   = "4j/AuRx71kQlxVlzbpsMWO19q0fEZpm8d9f3CaTE9n4ZWGn929MHOqFW1m0VeyW0nDllsVLalwfYKXyjrTDupfzgSaj75/P36A1bxgkGmVar1uVt1zk9SJKEF+0aZHagHChDv1pzPMZb/b8NKq+PWa2Wt5dTbLS5D0oqkDO2iCDQOng4sXg24ODRBZ9tctucSAg32XAsMlWN5SKzvopYzJsqJGj1wKo2kc+J0WIiU4PJo/M9tMZ2yVwyj8taKnLIdffHD3+Ntos4hQUCa8RiQuEjJ2v4Z5VTfkh8HDdhuPM5VlYOXfLs32A98g0cNFrKK147uNEQpx0xPIkgW8ihwvmHQFu8V1tRakA2NaEOfMp4L/mx6yGh8S3Y+wLoNhslaRH5hVytxJCeZVGCjZ6qeZG+XAPo9OxUjaevpqZZ53qYak4/a6Jumf1XCpZeVTqJsDeK8A1crWlxgLoaqORFP1CBIVL9M3KGQrhC3QudgHnnnXOCFkkVZ0IIvAHXdpr0pRFBNdQVk2vJyUwc0p1Hh8IeSvA76NYgdjx34ohs6cSEo8A0kZUdqJxHvmG1Z+D2EDZeW6tf+MbLkC4Ct9aUSobwMWnuME3xo+kMO3Qy1WRs30vOfHMPeiGl8bWLW/s7kk5O2c1gIAbv4jG+NWis8BnVi0j4rf8k/UM7oyvMFQIntXH+vXhnJtyuDXskX1SLFeTBzVZ6DQoh4msz+kAFUwdEqZrCZa7rCKcVhm9+TTTPqao94yB9vLdyxDSp+dCn"
	exSignature = "f6d4152872f2ce64a91d00f40b9d8eb7110b89fe"

	exEcho          = "7049213356270158873"
	exEchoStr       = "4j/AuRx71kQlxVlzbpsMWNy3n/Pn35SYLfBk+4+Y41gV8boWrQGM41U/g7rg59a2BwQkawLCtGMHhfJdflRz9Q=="
	exEchoSignature = "55459727f46c95175d6851229daa890dbb70d653"

	exReplyRandom    = "fedcba9876543210"
	exReplyPlaintext = `<xml><MsgType>markdown</MsgType><Markdown><Content><![CDATA[Recorded: **confirm 42**]]></Content></Markdown></xml>`
	exReplyEncrypt   = "wrNmYnsdngNwZHPRm4NnS8mElpvtC5gKArTdZFhkJRfrIrdnt8L22jzTUa+tUcrwVuREnISle5gd0pJog3PbpmdKQBhYca9X8CBuwuwSSR4tXbFB88PxvpRsDYoh0/Mr32GUk2KY0ZaG5TW5bI0d+BORxgKfmM7X+HqxgVJ6KrpOX2MlFBRwZtsjQ+5WM1W1oeeu9vx5/luYnV7wJRBDlw=="
	exReplySignature = "26545fbb0c3012f09156126e0ad56a4602666b80"

	offToken     = "QDG6eK"
	offAESKey    = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	offReceiveID = "wx5823bf96d3bd56c7"
	offTimestamp = "1409659589"
	offNonce     = "263014780"
	offEchoStr   = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
	offSignature = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
	offEcho      = "1616140317555161061"
)
