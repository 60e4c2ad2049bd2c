package handlers

import (
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/handlers/textparse"
)

// The account of deeds (事迹材料) may take several messages: each one is
// appended, 继续 just invites more, 完成 ends. The limit counts characters
// as textparse.CountChars does (whitespace excluded). Text over the limit
// is refused with its count but kept, and the next message replaces it, so
// the user can send a shortened version.

func deedsStep() *step {
	return &step{
		ID:       "deeds",
		Label:    "事迹材料",
		Labels:   []string{"事迹", "简要事迹", "事迹简介"},
		Controls: true,
		Help:     "直接发送事迹文字，可以分几条发，发完回复“完成”。字数按去掉空格和换行后计算。",
		Ask: func(e *env, s *State) question {
			return question{
				Text:    fmt.Sprintf("请发送简要事迹材料（不超过%d字，可以分几条发送），发完回复“完成”。", deedsLimit(e)),
				Buttons: deedsButtons,
			}
		},
		Answer: answerDeeds,
		Show: func(e *env, s *State) string {
			v := s.get("deeds")
			if v == "" {
				return ""
			}
			if e.Group {
				return textparse.Preview(v, deedsPreview)
			}
			return v + fmt.Sprintf("\n（共%d字）", textparse.CountChars(v))
		},
	}
}

func deedsLimit(e *env) int {
	if n := nomination(e).DeedsLimit; n > 0 {
		return n
	}
	return 1000
}

var deedsButtons = []bot.Button{{Text: ctlDone, Value: ctlDone}, {Text: ctlContinue, Value: ctlContinue}}

func answerDeeds(e *env, s *State, in input) answer {
	limit := deedsLimit(e)
	text := strings.TrimSpace(in.Text)
	cur := s.get("deeds")
	switch control(text) {
	case ctlDone, ctlConfirm:
		n := textparse.CountChars(cur)
		switch {
		case n == 0:
			return bad("还没有收到事迹材料，请先发送文字。")
		case n > limit:
			return bad(overLimit(e, cur, limit))
		case n < deedsMin:
			return bad(fmt.Sprintf("事迹材料只有%d字，太短了，请至少写%d字。", n, deedsMin))
		}
		return answered(fmt.Sprintf("事迹材料共%d字，已收下。", n))
	case ctlContinue:
		if s.get("deeds.over") == "1" {
			return bad("现在的内容超出上限，请发送精简后的完整事迹（会替换原来的内容）。")
		}
		return bad("好的，请接着发送，发完回复“完成”。")
	}
	if text == "" {
		return bad("请发送事迹文字。")
	}
	next := text
	switch {
	case in.Edit || s.get("deeds.over") == "1":
		// a replacement: from the summary ("事迹 …") or after a refusal
	case cur != "":
		next = cur + "\n" + text
	}
	n := textparse.CountChars(next)
	s.set("deeds", next)
	if n > limit {
		s.set("deeds.over", "1")
		return bad(overLimit(e, next, limit))
	}
	s.set("deeds.over", "")
	if in.Edit {
		if n < deedsMin {
			return bad(fmt.Sprintf("事迹材料只有%d字，太短了，请至少写%d字。", n, deedsMin))
		}
		return answered("")
	}
	return bad(fmt.Sprintf("已记下，事迹材料目前共%d字（上限%d字）。还要补充请直接发送，写完回复“完成”。", n, limit))
}

// overLimit refuses a text that is too long, showing what was kept: in
// full in a one-to-one chat so it can be copied and shortened, as a
// preview in a group.
func overLimit(e *env, text string, limit int) string {
	n := textparse.CountChars(text)
	msg := fmt.Sprintf("事迹材料最多%d字，现在共%d字，超出%d字，不能提交。\n你写的内容已保留", limit, n, n-limit)
	if e.Group {
		msg += "：" + textparse.Preview(text, deedsPreview)
	} else {
		msg += "，全文如下，可以复制后删改：\n" + text
	}
	return msg + "\n请把精简后的完整事迹重新发给我（会替换原来的内容）。"
}
