package textsafe

import "testing"

func TestNeutralize(t *testing.T) {
	for in, want := range map[string]string{
		"<@zhujun> [点此领取消防补贴](http://evil.example/claim)": "＜@zhujun＞ ［点此领取消防补贴］(http://evil.example/claim)",
		"<@all> [点我]": "＜@all＞ ［点我］",
		"# 标题\n> 引用 **粗** _斜_ ~删~ `码`":   "＃ 标题\n＞ 引用 ＊＊粗＊＊ ＿斜＿ ～删～ ｀码｀",
		`<font color="warning">红</font>`: `＜font color="warning"＞红＜/font＞`,
		"平常的文字，HD-0001":                  "平常的文字，HD-0001",
	} {
		got := Neutralize(in)
		if got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
		if Neutralize(got) != got {
			t.Errorf("not idempotent on %q", in)
		}
	}
}
