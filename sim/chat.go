package sim

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"

	"firebot/bot"
	"firebot/bot/driver"
	"firebot/wecom/fakewecom"
)

// Turn is one message sent by a simulated user and what came back.
type Turn struct {
	Text    string       // what the user sees
	Buttons []bot.Button // buttons offered (a click equals typing the value)
}

// SayIn sends text from user in chat (a group when group is true, else the
// user's 1:1 chat with the robot) and returns the passive reply.
func (s *Sim) SayIn(ctx context.Context, chatID, userID, text string, group bool) (Turn, error) {
	chatType, body := "single", text
	if group {
		chatType, body = "group", "@firebot "+text
	}
	return s.turn(ctx, chatID, chatType, userID, func(h driver.RobotMsg) []byte {
		return driver.RobotText(s.Robot.Format(), h, body)
	})
}

// ClickIn clicks a button offered in chat.
func (s *Sim) ClickIn(ctx context.Context, chatID, userID, value string, group bool) (Turn, error) {
	chatType := "single"
	if group {
		chatType = "group"
	}
	return s.turn(ctx, chatID, chatType, userID, func(h driver.RobotMsg) []byte {
		return driver.RobotClick(s.Robot.Format(), h, "cb", "button", value)
	})
}

// ImageIn sends an image (by URL) from user in their 1:1 chat.
func (s *Sim) ImageIn(ctx context.Context, chatID, userID, url string) (Turn, error) {
	return s.turn(ctx, chatID, "single", userID, func(h driver.RobotMsg) []byte {
		return driver.RobotImage(s.Robot.Format(), h, url)
	})
}

func (s *Sim) turn(ctx context.Context, chatID, chatType, userID string, build func(driver.RobotMsg) []byte) (Turn, error) {
	h, err := s.Robot.RobotHeader(chatID, chatType, userID, s.name(userID))
	if err != nil {
		return Turn{}, err
	}
	h.WebhookURL = s.Fake.URL() + "/cgi-bin/webhook/send?key=" + ChatKey(chatID)
	s.AddGroup(chatID)
	res, err := s.Robot.Send(ctx, "/wecom/robot", build(h))
	if err != nil {
		return Turn{}, err
	}
	if res.Status != 200 {
		return Turn{}, fmt.Errorf("sim: callback answered HTTP %d", res.Status)
	}
	return Turn{Text: replyBody(res.Reply), Buttons: replyButtons(res.Reply)}, nil
}

// replyBody is ReplyText without the button labels (Turn carries them).
func replyBody(plaintext []byte) string {
	t := ReplyText(plaintext)
	if i := strings.LastIndex(t, "\n[按钮："); i >= 0 {
		t = t[:i]
	}
	return t
}

// replyButtons reads the buttons of a robot markdown reply (XML or JSON).
func replyButtons(plaintext []byte) []bot.Button {
	var x xmlReply
	var out []bot.Button
	if xml.Unmarshal(plaintext, &x) == nil {
		for _, a := range x.Markdown.Attachment.Actions {
			out = append(out, bot.Button{Text: a.Text, Value: a.Value})
		}
		return out
	}
	var j struct {
		Markdown struct {
			Attachments []struct {
				Actions []struct {
					Text  string `json:"text"`
					Value string `json:"value"`
				} `json:"actions"`
			} `json:"attachments"`
		} `json:"markdown"`
	}
	if json.Unmarshal(plaintext, &j) == nil {
		for _, a := range j.Markdown.Attachments {
			for _, b := range a.Actions {
				out = append(out, bot.Button{Text: b.Text, Value: b.Value})
			}
		}
	}
	return out
}

// Describe renders a push as a person would see it, marked by channel and
// chat: "[群 chat_x] …" for a group robot push, "[应用消息 → u1] …" for an
// application message.
func Describe(r fakewecom.Recorded) string {
	body := r.Content()
	if body == "" {
		body = "（" + r.MsgType + " 消息）"
	}
	switch r.API {
	case "webhook/send":
		return fmt.Sprintf("[群 %s] %s", r.ChatID, body)
	case "message/send":
		if r.MsgType == "template_card" {
			body = cardText(r.Body)
		}
		return fmt.Sprintf("[应用消息 → %s] %s", r.ToUser, body)
	case "aibot/response":
		return fmt.Sprintf("[智能机器人 %s] %s", r.ChatID, body)
	}
	return fmt.Sprintf("[%s] %s", r.API, body)
}

func cardText(body []byte) string {
	var c struct {
		TemplateCard struct {
			MainTitle struct {
				Title string `json:"title"`
			} `json:"main_title"`
			SubTitleText string `json:"sub_title_text"`
			ButtonList   []struct {
				Text string `json:"text"`
			} `json:"button_list"`
		} `json:"template_card"`
	}
	if json.Unmarshal(body, &c) != nil {
		return "（卡片消息）"
	}
	t := strings.TrimSpace(c.TemplateCard.MainTitle.Title + "\n" + c.TemplateCard.SubTitleText)
	if len(c.TemplateCard.ButtonList) > 0 {
		labels := make([]string, len(c.TemplateCard.ButtonList))
		for i, b := range c.TemplateCard.ButtonList {
			labels[i] = b.Text
		}
		t += "\n[按钮：" + strings.Join(labels, " | ") + "]"
	}
	return t
}
