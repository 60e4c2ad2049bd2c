package wecom

// Message payloads shared by the send APIs. Field names follow WeCom's JSON;
// zero values are omitted.

// Message types.
const (
	MsgText         = "text"
	MsgMarkdown     = "markdown"
	MsgMarkdownV2   = "markdown_v2"
	MsgImage        = "image"
	MsgNews         = "news"
	MsgFile         = "file"
	MsgVoice        = "voice"
	MsgTextCard     = "textcard"
	MsgTemplateCard = "template_card"
)

// Template card types.
const (
	CardTextNotice        = "text_notice"
	CardNewsNotice        = "news_notice"
	CardButtonInteraction = "button_interaction"
	CardVoteInteraction   = "vote_interaction"
	CardMultiInteraction  = "multiple_interaction"
)

// Text is a text message. The mention lists work in group-robot pushes
// ("@all" allowed); application messages ignore them.
type Text struct {
	Content             string   `json:"content"`
	MentionedList       []string `json:"mentioned_list,omitempty"`
	MentionedMobileList []string `json:"mentioned_mobile_list,omitempty"`
}

// Markdown is a markdown message.
type Markdown struct {
	Content string `json:"content"`
}

// Image is a group-robot image: base64 of the raw bytes and their md5 (hex).
type Image struct {
	Base64 string `json:"base64"`
	MD5    string `json:"md5"`
}

// News is 1–8 link articles.
type News struct {
	Articles []Article `json:"articles"`
}

// Article is one news item.
type Article struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url"`
	PicURL      string `json:"picurl,omitempty"`
}

// MediaRef refers to an uploaded file or voice.
type MediaRef struct {
	MediaID string `json:"media_id"`
}

// TextCard is an application text card.
type TextCard struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	URL         string `json:"url"`
	BtnTxt      string `json:"btntxt,omitempty"`
}

// TemplateCard is a template card; which fields apply depends on CardType.
// Button and vote cards need TaskID (unique per app/robot, ≤128 B,
// [0-9A-Za-z_-@]).
type TemplateCard struct {
	CardType              string              `json:"card_type"`
	Source                *CardSource         `json:"source,omitempty"`
	MainTitle             *CardTitle          `json:"main_title,omitempty"`
	EmphasisContent       *CardTitle          `json:"emphasis_content,omitempty"`
	SubTitleText          string              `json:"sub_title_text,omitempty"`
	HorizontalContentList []HorizontalContent `json:"horizontal_content_list,omitempty"`
	JumpList              []CardJump          `json:"jump_list,omitempty"`
	CardAction            *CardAction         `json:"card_action,omitempty"`
	TaskID                string              `json:"task_id,omitempty"`
	ButtonList            []CardButton        `json:"button_list,omitempty"`
	Checkbox              *CardCheckbox       `json:"checkbox,omitempty"`
	SubmitButton          *CardSubmitButton   `json:"submit_button,omitempty"`
	ReplaceText           string              `json:"replace_text,omitempty"`
	Feedback              *Feedback           `json:"feedback,omitempty"`
}

// CardSource is the small header line of a card.
type CardSource struct {
	IconURL   string `json:"icon_url,omitempty"`
	Desc      string `json:"desc,omitempty"`
	DescColor int    `json:"desc_color,omitempty"`
}

// CardTitle is a title with an optional description.
type CardTitle struct {
	Title string `json:"title,omitempty"`
	Desc  string `json:"desc,omitempty"`
}

// HorizontalContent is one key/value line (≤6 per card).
type HorizontalContent struct {
	KeyName string `json:"keyname"`
	Value   string `json:"value,omitempty"`
	Type    int    `json:"type,omitempty"` // 1 link, 2 file, 3 member
	URL     string `json:"url,omitempty"`
	MediaID string `json:"media_id,omitempty"`
	UserID  string `json:"userid,omitempty"`
}

// CardJump is one link line (≤3 per card).
type CardJump struct {
	Type  int    `json:"type,omitempty"` // 1 url
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// CardAction is what tapping the card does (mandatory on notice cards).
type CardAction struct {
	Type     int    `json:"type"` // 1 url, 2 mini program
	URL      string `json:"url,omitempty"`
	AppID    string `json:"appid,omitempty"`
	PagePath string `json:"pagepath,omitempty"`
}

// CardButton is one button (≤6). Type 0 sends Key back in a callback,
// type 1 opens URL.
type CardButton struct {
	Text  string `json:"text"`
	Style int    `json:"style,omitempty"` // 1–4
	Key   string `json:"key,omitempty"`
	Type  int    `json:"type,omitempty"`
	URL   string `json:"url,omitempty"`
}

// CardCheckbox is the question of a vote card.
type CardCheckbox struct {
	QuestionKey string       `json:"question_key"`
	Mode        int          `json:"mode"` // 0 single, 1 multiple
	OptionList  []CardOption `json:"option_list"`
	Disable     bool         `json:"disable,omitempty"`
}

// CardOption is one choice (≤20).
type CardOption struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	IsChecked bool   `json:"is_checked,omitempty"`
}

// CardSubmitButton submits a vote card.
type CardSubmitButton struct {
	Text string `json:"text"`
	Key  string `json:"key"`
}

// Feedback asks the intelligent robot's users to rate an answer.
type Feedback struct {
	ID string `json:"id"`
}
