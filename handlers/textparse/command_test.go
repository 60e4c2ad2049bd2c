package textparse

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func testMatcher(t *testing.T) *Matcher {
	t.Helper()
	m, err := NewMatcher(
		Command{Name: "帮助", Words: []string{"help", "菜单"}},
		Command{Name: "进度", Words: []string{"查进度", "progress"}},
		Command{Name: "上报", Words: []string{"report"}},
		Command{Name: "我的"},
		Command{Name: "我的记录", Words: []string{"记录"}},
		Command{Name: "推荐", Words: []string{"提名"}},
		Command{Name: "取消"},
		Command{Name: "催报"},
		Command{Name: "广播"},
	)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMatcherMatch(t *testing.T) {
	m := testMatcher(t)
	tests := []struct {
		name     string
		in       string
		wantName string
		wantArgs string
		wantOK   bool
	}{
		{"plain", "进度", "进度", "", true},
		{"slash", "/进度", "进度", "", true},
		{"full-width slash", "／进度", "进度", "", true},
		{"spaces around", " \t进度\u3000", "进度", "", true},
		{"full-width space and slash", "\u3000／进度\u3000", "进度", "", true},
		{"lenticular brackets", "【进度】", "进度", "", true},
		{"corner brackets", "「帮助」", "帮助", "", true},
		{"exclamation", "进度！", "进度", "", true},
		{"question mark", "帮助?", "帮助", "", true},
		{"args", "进度 11月", "进度", "11月", true},
		{"args without space", "进度11月", "进度", "11月", true},
		{"args after colon", "进度：第3项", "进度", "第3项", true},
		{"args after bracket", "【进度】 11月", "进度", "11月", true},
		{"synonym", "查进度 三社区", "进度", "三社区", true},
		{"longest word wins", "我的记录", "我的记录", "", true},
		{"shorter word with args", "我的 记录", "我的", "记录", true},
		{"args keep original spelling", "/上报 今天演练了，８０人。", "上报", "今天演练了，８０人", true},
		{"latin synonym", "help", "帮助", "", true},
		{"latin upper full-width", "ＨＥＬＰ", "帮助", "", true},
		{"latin with args", "Help me", "帮助", "me", true},
		{"latin must end at a word boundary", "helpme", "", "", false},
		{"unknown", "进渡", "", "", false},
		{"empty", "", "", "", false},
		{"only punctuation", "/ 。", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, args, ok := m.Match(tt.in)
			if name != tt.wantName || args != tt.wantArgs || ok != tt.wantOK {
				t.Errorf("Match(%q) = %q, %q, %v; want %q, %q, %v", tt.in, name, args, ok, tt.wantName, tt.wantArgs, tt.wantOK)
			}
		})
	}
}

func TestMatcherSuggest(t *testing.T) {
	m := testMatcher(t)
	tests := []struct {
		name      string
		in        string
		n         int
		wantFirst string
		wantLen   int
	}{
		{"typo jindu", "进渡", 3, "进度", 3},
		{"typo bangzhu", "帮住", 3, "帮助", 3},
		{"typo tuijian", "推存", 1, "推荐", 1},
		{"typo with args", "进渡 11月", 2, "进度", 2},
		{"typo run into args", "进渡一下", 2, "进度", 2},
		{"latin transposition", "hlep", 1, "帮助", 1},
		{"longer command", "我的纪录", 1, "我的记录", 1},
		{"nonsense still suggests", "天气怎么样", 3, "", 3},
		{"empty still suggests", "", 2, "", 2},
		{"n below one means one", "进渡", 0, "进度", 1},
		{"n above the command count", "进渡", 50, "进度", 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := m.Suggest(tt.in, tt.n)
			if len(got) != tt.wantLen {
				t.Fatalf("Suggest(%q, %d) = %q, want %d names", tt.in, tt.n, got, tt.wantLen)
			}
			if tt.wantFirst != "" && got[0] != tt.wantFirst {
				t.Errorf("Suggest(%q, %d) = %q, want %q first", tt.in, tt.n, got, tt.wantFirst)
			}
			seen := map[string]bool{}
			for _, g := range got {
				if seen[g] {
					t.Errorf("Suggest(%q) repeats %q", tt.in, g)
				}
				seen[g] = true
			}
		})
	}
}

func TestNewMatcherRejectsBadTables(t *testing.T) {
	tests := []struct {
		name string
		cmds []Command
	}{
		{"empty name", []Command{{Name: " "}}},
		{"empty word", []Command{{Name: "进度", Words: []string{"。"}}}},
		{"word used twice", []Command{{Name: "进度", Words: []string{"查询"}}, {Name: "我的", Words: []string{"查询"}}}},
		{"word clashes after folding", []Command{{Name: "帮助", Words: []string{"help"}}, {Name: "菜单", Words: []string{"ＨＥＬＰ"}}}},
		{"duplicate name", []Command{{Name: "进度"}, {Name: "进度"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewMatcher(tt.cmds...); !errors.Is(err, ErrBadCommandTable) {
				t.Errorf("NewMatcher error = %v, want ErrBadCommandTable", err)
			}
			defer func() {
				if recover() == nil {
					t.Error("MustNewMatcher did not panic")
				}
			}()
			MustNewMatcher(tt.cmds...)
		})
	}
}

func TestMatcherEdges(t *testing.T) {
	t.Run("names in order", func(t *testing.T) {
		want := []string{"帮助", "进度", "上报", "我的", "我的记录", "推荐", "取消", "催报", "广播"}
		if diff := cmp.Diff(want, testMatcher(t).Names()); diff != "" {
			t.Errorf("Names() mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("same word twice in one command is fine", func(t *testing.T) {
		m := MustNewMatcher(Command{Name: "确认", Words: []string{"确认", "好的"}})
		if name, _, ok := m.Match("好的"); !ok || name != "确认" {
			t.Errorf("Match = %q, %v", name, ok)
		}
	})
	t.Run("empty matcher", func(t *testing.T) {
		m := MustNewMatcher()
		if _, _, ok := m.Match("进度"); ok {
			t.Error("empty matcher matched")
		}
		if got := m.Suggest("进度", 3); len(got) != 0 {
			t.Errorf("Suggest on empty matcher = %q", got)
		}
	})
	t.Run("control words are another matcher", func(t *testing.T) {
		ctl := MustNewMatcher(
			Command{Name: "确认", Words: []string{"确定", "提交", "ok"}},
			Command{Name: "取消", Words: []string{"算了", "退出"}},
			Command{Name: "返回", Words: []string{"上一步"}},
		)
		if name, _, ok := ctl.Match("OK！"); !ok || name != "确认" {
			t.Errorf("Match(OK！) = %q, %v", name, ok)
		}
		if got := ctl.Suggest("取效", 1); got[0] != "取消" {
			t.Errorf("Suggest(取效) = %q", got)
		}
	})
}
