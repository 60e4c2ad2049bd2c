package textparse

import (
	"strings"
	"testing"
)

// deeds builds text with n counted characters and whitespace of every kind
// mixed in, like a pasted 事迹材料.
func deeds(n int) string {
	spaces := []string{" ", "\n", "\t", "\u3000", "\r\n", "  "}
	chars := []rune("消防志愿者张某，2019年起。Abc")
	var b strings.Builder
	for i := range n {
		b.WriteRune(chars[i%len(chars)])
		if i%7 == 0 {
			b.WriteString(spaces[i%len(spaces)])
		}
	}
	return b.String()
}

func TestCountChars(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"empty", "", 0},
		{"only whitespace", " \t\n\u3000\r", 0},
		{"chinese", "预防为主，生命至上", 9},
		{"mixed whitespace", "a b\tc\n\u3000d", 4},
		{"zero-width space", "消\u200b防", 2},
		{"emoji and latin", "消防👍ok", 5},
		{"1000 with whitespace", deeds(1000), 1000},
		{"1001 with whitespace", deeds(1001), 1001},
		{"1000 plus trailing whitespace", deeds(1000) + " \n\u3000", 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CountChars(tt.in); got != tt.want {
				t.Errorf("CountChars = %d, want %d", got, tt.want)
			}
		})
	}
	if len([]rune(deeds(1000))) <= 1000 {
		t.Fatal("the 1000-character text should contain whitespace")
	}
}

func TestPreview(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"fits", "预防为主", 10, "预防为主"},
		{"exactly n", "预防为主", 4, "预防为主"},
		{"cut", "预防为主，生命至上", 4, "预防为主…（共9字）"},
		{"whitespace collapsed", "  关注消防\n\n学习消防  ", 20, "关注消防 学习消防"},
		{"whitespace not counted when cutting", "关 注\u3000消防学习", 3, "关 注 消…（共6字）"},
		{"zero", "消防", 0, "…（共2字）"},
		{"negative", "消防", -1, "…（共2字）"},
		{"empty", "", 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Preview(tt.in, tt.n); got != tt.want {
				t.Errorf("Preview(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
	long := deeds(1001)
	if got := Preview(long, 1000); !strings.HasSuffix(got, "…（共1001字）") || CountChars(strings.TrimSuffix(got, "…（共1001字）")) != 1000 {
		t.Errorf("Preview of 1001 characters at 1000 = …%q", got[len(got)-40:])
	}
}
