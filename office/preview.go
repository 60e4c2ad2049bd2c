package office

import (
	"fmt"
	"strconv"
	"time"

	"firebot/bot"
	"firebot/handlers"
)

// Previews: 广播, 催报 and 退回 act only after 确认. Each preview has its
// own number and a one-line digest; the sender has at most one pending (a
// new preview replaces it and says so), 确认 answers that one and repeats
// its digest, and a preview not confirmed within previewTTL on the
// campaign clock is void.

// previewTTL is how long a preview waits for 确认 (campaign clock).
const previewTTL = 10 * time.Minute

// Question ids of the reason prompts of 不适用 and 退回 (package correct).
// A preview asked while one is pending says the reason is no longer
// awaited.
const (
	QNAReason     = "office.na_reason"
	QReturnReason = "office.return_reason"
)

// Values a preview keeps in its question.
const (
	vPreview = "preview" // its number, "3"
	vDigest  = "digest"  // one line: 广播 学校（2个单位，2个群）：请于…
	vExpires = "expires" // RFC 3339, campaign clock
)

// previewName renders a preview's number: 预览＃3.
func previewName(n string) string { return "预览＃" + n }

// AskPreview asks question qid (a preview) with its number and digest in
// vals. What it replaces is said first; the prompt ends with how to
// answer it and for how long it waits.
func AskPreview(c *handlers.Context, qid, title, body, digest string, vals map[string]string) (bot.Reply, error) {
	n, err := c.Tx.NextSeq("office_preview")
	if err != nil {
		return bot.NoReply, err
	}
	num := strconv.FormatUint(n, 10)
	vals[vPreview], vals[vDigest] = num, digest
	vals[vExpires] = c.Now.Add(previewTTL).Format(time.RFC3339)
	prompt := ""
	if old := replacedPreview(c); old != "" {
		prompt = old + "\n\n"
	}
	prompt += "【" + title + "】" + previewName(num) + "\n" + body +
		fmt.Sprintf("\n\n回复“确认”执行%s，回复“取消”放弃（%d分钟内有效）。", previewName(num), int(previewTTL/time.Minute))
	return c.AskQuestion(qid, prompt, vals)
}

// replacedPreview says which pending preview or question the new preview
// replaces, or "".
func replacedPreview(c *handlers.Context) string {
	id, vals, ok := c.PendingQuestion()
	if !ok {
		return ""
	}
	if vals[vPreview] != "" {
		return "之前待确认的" + previewName(vals[vPreview]) + "（" + vals[vDigest] + "）已作废，以下面这个为准。"
	}
	switch id {
	case QReturnReason:
		return "之前等待填写的退回原因已作废。"
	case QNAReason:
		return "之前等待填写的不适用原因已作废。"
	}
	return ""
}

// Confirmed wraps a preview's Answer: a preview past its time does
// nothing; otherwise the reply starts with the digest of what was
// confirmed.
func Confirmed(answer func(*handlers.Context, map[string]string, string) (bot.Reply, error)) func(*handlers.Context, map[string]string, string) (bot.Reply, error) {
	return func(c *handlers.Context, vals map[string]string, text string) (bot.Reply, error) {
		name := previewName(vals[vPreview])
		if exp, err := time.Parse(time.RFC3339, vals[vExpires]); err == nil && !c.Now.Before(exp) {
			return c.Reply(fmt.Sprintf("%s（%s）超过%d分钟没有确认，已经作废，什么都没有执行。需要的话请重新发送命令。",
				name, vals[vDigest], int(previewTTL/time.Minute))), nil
		}
		rep, err := answer(c, vals, text)
		if err != nil || rep.IsEmpty() {
			return rep, err
		}
		rep.Text = "已确认" + name + "：" + vals[vDigest] + "\n" + rep.Text
		return rep, nil
	}
}
