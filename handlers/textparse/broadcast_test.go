package textparse

import "testing"

func TestCutWord(t *testing.T) {
	for _, tc := range []struct{ in, word, rest string }{
		{"催报 解放碑", "催报", "解放碑"},
		{"催报　解放碑　学校", "催报", "解放碑　学校"}, // full-width spaces
		{"  回执\tGB-0001 催 ", "回执", "GB-0001 催"},
		{"统计", "统计", ""},
		{"", "", ""},
	} {
		if w, r := CutWord(tc.in); w != tc.word || r != tc.rest {
			t.Errorf("CutWord(%q) = %q, %q; want %q, %q", tc.in, w, r, tc.word, tc.rest)
		}
	}
	for w, want := range map[string]bool{"催": true, "提醒": true, "再催": true, "催报": false, "": false} {
		if AsksReminder(w) != want {
			t.Errorf("AsksReminder(%q) = %v", w, !want)
		}
	}
}
