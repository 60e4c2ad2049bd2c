package handlers

import (
	"testing"
)

func TestTrimValueCorrections(t *testing.T) {
	for in, want := range map[string]string{
		"：90":       "90",
		"不对 应该是90":  "90",
		"是昨天":       "昨天",
		"改为 11月6日":  "11月6日",
		"为90人":      "90人",
		"为民":        "为民", // a name, not 为 + 民
		"是张三的":      "是张三的",
		"有误，应为一百二十": "一百二十",
	} {
		if got := trimValue(in); got != want {
			t.Errorf("trimValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConfirmWordsOnlyWholeReplies(t *testing.T) {
	for _, w := range []string{"对的", "好的", "没问题", "ok", "OK", "是", "确认无误", "👌", "好的。"} {
		if !isConfirmWord(w) {
			t.Errorf("%q is not a confirmation", w)
		}
	}
	for _, w := range []string{"好的，人数改成90", "不对", "是90人", "ok吗"} {
		if isConfirmWord(w) {
			t.Errorf("%q is a confirmation", w)
		}
	}
}

func TestRelatedTasks(t *testing.T) {
	cfg := loadConfig(t)
	camp := &cfg.Campaign
	pairs := []struct {
		a, b string
		want bool
	}{
		{"drill_plan_update", "all_hands_drill", true},
		{"drill_plan_update", "evacuation_drill", true},
		{"evacuation_drill", "all_hands_drill", true},
		{"special_training", "skills_training", false},
		{"safety_training", "special_training", false},
		{"warning_education", "drill_plan_update", false},
		{"theme_publicity", "atmosphere", false},
	}
	for _, p := range pairs {
		a, _ := camp.Task(p.a)
		b, _ := camp.Task(p.b)
		if got := related(a, b, camp.Tasks); got != p.want {
			t.Errorf("related(%s, %s) = %v, want %v", p.a, p.b, got, p.want)
		}
	}
}
