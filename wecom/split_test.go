package wecom_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"firebot/wecom"
	"firebot/wecom/fakewecom"
)

func TestSplitText(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"empty", "", 10, nil},
		{"fits", "abc", 10, []string{"abc"}},
		{"exact", "abcd", 4, []string{"abcd"}},
		{"no limit", "abcdef", 0, []string{"abcdef"}},
		{"ascii hard cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"prefers line break", "aaaa\nbbbbbb", 8, []string{"aaaa\n", "bbbbbb"}},
		{"early line break ignored", "a\nbbbbbbbbbb", 8, []string{"a\nbbbbbb", "bbbb"}},
		{"never mid character", "火火火", 7, []string{"火火", "火"}},              // 3 B each
		{"cut before a 4-byte rune", "ab🔥cd", 4, []string{"ab", "🔥", "cd"}}, // emoji is 4 B
		{"after a sentence", "消防安全。人人有责", 20, []string{"消防安全。", "人人有责"}},
		{"after a space", "hello world again", 13, []string{"hello world ", "again"}},
		{"limit smaller than a rune", "火a", 2, []string{"火", "a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wecom.SplitText(tc.in, tc.max)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("SplitText(%q, %d) (-want +got):\n%s", tc.in, tc.max, diff)
			}
		})
	}
}

// mixedMarkdown builds about n bytes of Chinese/ASCII markdown with lines of
// varied length, some longer than any limit.
func mixedMarkdown(n int) string {
	var b strings.Builder
	lines := []string{
		"## 第%d项：消防安全知识 Fire safety\n",
		"> <font color=\"warning\">注意</font>：请于 11 月 9 日前完成 checklist item %d。\n",
		"- 检查灭火器 extinguisher #%d，压力表指针应在绿区🔥\n",
		"%d. 楼道不得堆放杂物；电动车不得入户充电，违者 report to 街道办。\n",
	}
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, lines[i%len(lines)], i)
		if i%7 == 6 {
			b.WriteString(strings.Repeat("长段落没有换行", 200)) // 4200 B without a line break
		}
	}
	s := b.String()
	for len(s) > n { // trim to n bytes on a rune boundary
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

func TestSplitTextMixedMarkdown(t *testing.T) {
	doc := mixedMarkdown(5000)
	if len(doc) < 4990 || len(doc) > 5000 {
		t.Fatalf("test document is %d bytes", len(doc))
	}
	for _, limit := range []int{wecom.MaxWebhookTextBytes, wecom.MaxWebhookMarkdownBytes, wecom.MaxAppMarkdownBytes,
		wecom.MaxAIBotMarkdownBytes, 100, 7, 4} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			parts := wecom.SplitText(doc, limit)
			wantMin := (len(doc) + limit - 1) / limit
			if len(parts) < wantMin {
				t.Fatalf("%d parts, want at least %d", len(parts), wantMin)
			}
			for i, p := range parts {
				if p == "" || len(p) > limit {
					t.Errorf("part %d is %d bytes (limit %d)", i, len(p), limit)
				}
				if !utf8.ValidString(p) {
					t.Errorf("part %d is not valid UTF-8: %q", i, p)
				}
			}
			if got := strings.Join(parts, ""); got != doc {
				t.Error("parts do not concatenate back to the original")
			}
		})
	}
}

func TestSplitTextEndsPartsAtLineBreaks(t *testing.T) {
	doc := strings.Repeat("第一行 some text，消防。\n", 200)
	parts := wecom.SplitText(doc, 200)
	for i, p := range parts {
		if !strings.HasSuffix(p, "\n") {
			t.Errorf("part %d does not end at a line break: %q", i, p)
		}
	}
}

func TestSplitTextInvalidUTF8DoesNotLoop(t *testing.T) {
	in := strings.Repeat("\x80", 10) + "ok"
	parts := wecom.SplitText(in, 4)
	if strings.Join(parts, "") != in {
		t.Fatalf("lost bytes: %q", parts)
	}
	for _, p := range parts {
		if len(p) > 4 {
			t.Errorf("part %q over the limit", p)
		}
	}
}

func FuzzSplitText(f *testing.F) {
	f.Add("消防安全\n人人有责 abc", 5)
	f.Add("🔥🔥", 3)
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max < 0 || max > 1<<16 {
			return
		}
		parts := wecom.SplitText(s, max)
		if strings.Join(parts, "") != s {
			t.Fatal("parts do not concatenate back")
		}
		for _, p := range parts {
			if p == "" {
				t.Fatal("empty part")
			}
			if max >= utf8.UTFMax && len(p) > max {
				t.Fatalf("part of %d bytes over %d", len(p), max)
			}
			if utf8.ValidString(s) && !utf8.ValidString(p) {
				t.Fatalf("split a character: %q", p)
			}
		}
	})
}

// A 5,000-byte markdown goes out as webhook parts the fake accepts, in order.
func TestSplitThenPush(t *testing.T) {
	e := newEnv(t)
	e.srv.RegisterWebhookKey("K", "wrG")
	ctx := ctxT(t)
	doc := mixedMarkdown(5000)
	parts := wecom.SplitText(doc, wecom.MaxWebhookMarkdownBytes)
	for _, p := range parts {
		if err := e.client.WebhookMarkdown(ctx, "K", p); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := e.srv.WaitFor(ctx, len(parts))
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, m := range msgs {
		got.WriteString(m.Content())
	}
	if got.String() != doc {
		t.Error("pushed parts do not reassemble the document")
	}
}

func ExampleSplitText() {
	for _, part := range wecom.SplitText("第一段：检查灭火器。\n第二段：清理楼道。", 32) {
		fmt.Printf("%q\n", part)
	}
	// Output:
	// "第一段：检查灭火器。\n"
	// "第二段：清理楼道。"
}

func ExampleClient_WebhookMarkdown() {
	srv := fakewecom.New(fakewecom.Options{})
	defer srv.Close()
	srv.RegisterWebhookKey("KEY", "wrGROUP")
	c := wecom.New(wecom.Options{BaseURL: srv.URL()})

	err := c.WebhookMarkdown(context.Background(), "KEY", "**119 消防宣传月** 今天开始")
	fmt.Println(err, srv.Messages()[0].Content())

	err = c.WebhookMarkdown(context.Background(), "REMOVED", "x")
	fmt.Println(wecom.Permanent(err), wecom.Reason(err))
	// Output:
	// <nil> **119 消防宣传月** 今天开始
	// true 机器人已被移出群聊或 webhook 地址已失效
}
