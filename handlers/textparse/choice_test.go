package textparse

import (
	"errors"
	"strings"
	"testing"
)

func TestParseChoice(t *testing.T) {
	themes := []string{"高层建筑消防安全专项整治", "火灾防控“除险清患”专项行动", "打通消防“生命通道”集中治理"}
	yesNo := []string{"是", "否"}
	tests := []struct {
		name    string
		in      string
		options []string
		want    int
	}{
		{"number", "1", themes, 0},
		{"number with hao", "2号", themes, 1},
		{"number with dot", "3.", themes, 2},
		{"parenthesised", "（2）", themes, 1},
		{"ordinal", "第三个", themes, 2},
		{"ordinal digits", "第2项", themes, 1},
		{"xuan", "选1", themes, 0},
		{"circled", "①", themes, 0},
		{"dingbat", "❷", themes, 1},
		{"chinese digit", "一", themes, 0},
		{"full-width digit", "３", themes, 2},
		{"exact text", "打通消防“生命通道”集中治理", themes, 2},
		{"exact with punctuation", "  高层建筑消防安全专项整治。", themes, 0},
		{"unique prefix", "高层", themes, 0},
		{"unique containment", "生命通道", themes, 2},
		{"input contains option", "是的", yesNo, 0},
		{"exact no", "否", yesNo, 1},
		{"option text that looks like a number wins", "2", []string{"1", "2", "3"}, 1},
		{"latin case", "YES", []string{"yes", "no"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseChoice(tt.in, tt.options)
			if err != nil {
				t.Fatalf("ParseChoice(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseChoice(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseChoiceInvalid(t *testing.T) {
	themes := []string{"高层建筑消防安全专项整治", "火灾防控“除险清患”专项行动", "打通消防“生命通道”集中治理"}
	tests := []struct {
		name    string
		in      string
		options []string
		wantMsg string
	}{
		{"empty", "", themes, "请回复序号（1–3）"},
		{"out of range", "4", themes, "没有第 4 项"},
		{"zero", "0", themes, "没有第 0 项"},
		{"ambiguous prefix-free containment", "专项", themes, "有 2 个选项"},
		{"ambiguous short word", "消防", themes, "有 2 个选项"},
		{"unknown", "天气", themes, "没有这个选项"},
		{"negated option", "不是", []string{"是", "否"}, "没有这个选项"},
		{"no options", "1", nil, "没有可以选择的选项"},
		{"single option help", "2", []string{"确认"}, "请回复 1 或选项文字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseChoice(tt.in, tt.options)
			if err == nil {
				t.Fatalf("ParseChoice(%q) = %d, want error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalidChoice) {
				t.Errorf("error %v does not wrap ErrInvalidChoice", err)
			}
			if msg, ok := UserMessage(err); !ok || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message %q should contain %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestParseYesNo(t *testing.T) {
	tests := []struct {
		in      string
		want    bool
		wantErr bool
	}{
		{"是", true, false},
		{"是的", true, false},
		{"好的，提交吧", true, false},
		{"确认！", true, false},
		{"OK", true, false},
		{"嗯嗯", true, false},
		{"否", false, false},
		{"不是", false, false},
		{"不用了", false, false},
		{"取消", false, false},
		{"No", false, false},
		{"是否", false, true},
		{"好像不对", false, true},
		{"", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseYesNo(tt.in)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidChoice) {
					t.Errorf("ParseYesNo(%q) = %v, %v; want ErrInvalidChoice", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseYesNo(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestUserMessage(t *testing.T) {
	_, err := ParseCount("abc")
	wrapped := errors.Join(errors.New("dialog: step count"), err)
	if msg, ok := UserMessage(wrapped); !ok || !strings.HasPrefix(msg, "看不懂") {
		t.Errorf("UserMessage = %q, %v", msg, ok)
	}
	if _, ok := UserMessage(errors.New("other")); ok {
		t.Error("UserMessage found a message in a plain error")
	}
}
