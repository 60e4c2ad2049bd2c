package textparse

import (
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParsers checks that no parser panics or loops on arbitrary input, and
// that what ParseDate and ParseCount accept is sane.
func FuzzParsers(f *testing.F) {
	for _, s := range []string{
		"今天", "上周五", "11月3日上午", "2023-11-03", "3号", "十一月三日", "八十人", "一千零二十",
		"1,200", "+86 138 1234 5678", "(023)63850029-123", "／进度 11月", "①", "２月３０日",
		"零零零", "一万万", "9999999999999999999", "11.3.5", "转转", "((((", "\xff\xfe",
	} {
		f.Add(s)
	}
	today := time.Date(2023, 11, 8, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	m := MustNewMatcher(Command{Name: "进度"}, Command{Name: "我的记录", Words: []string{"我的"}})
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDate(s, today); err == nil {
			if d.Hour() != 0 || d.Minute() != 0 || d.Location() != today.Location() {
				t.Errorf("ParseDate(%q) = %v, not midnight in today's location", s, d)
			}
		}
		ExtractDate(s, today)
		if n, err := ParseCount(s); err == nil && (n <= 0 || n > maxCount) {
			t.Errorf("ParseCount(%q) = %d", s, n)
		}
		ExtractCount(s)
		if p, err := ValidatePhone(s); err == nil {
			if q, err := ValidatePhone(p); err != nil || q != p {
				t.Errorf("ValidatePhone not idempotent: %q → %q → %q, %v", s, p, q, err)
			}
			MaskPhone(p)
		}
		MaskPhone(s)
		if utf8.ValidString(s) && CountChars(s) > utf8.RuneCountInString(s) {
			t.Errorf("CountChars(%q) larger than the rune count", s)
		}
		Preview(s, 5)
		m.Match(s)
		if len(m.Suggest(s, 2)) == 0 {
			t.Errorf("Suggest(%q) empty", s)
		}
		ParseChoice(s, []string{"是", "否"})
		ParseYesNo(s)
	})
}

// FuzzRead checks that reading a report never panics, and that what it
// settles on is a count (never negative, never above maxCount per part).
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"上周四组织员工搞了消防安全培训 两百人 不对，是90人", "居民80人，志愿者12人，共92人", "宣传栏1个，横幅3条，一共4处",
		"四个一：走疏散通道120人", "在", "地点", "修订预案", "共", "不是", "改成", "1块LED屏", "二十几个", "第3", "，不对，",
		"在在在在在在在在在在在在在在开展", "修订修订预案预案", "12345678人", "﹖", "\xff",
	} {
		f.Add(s)
	}
	v := NewVocabulary(organisation)
	f.Fuzz(func(t *testing.T, s string) {
		r := ReadWith(s, v, readDay)
		for _, c := range []Count{r.People, r.Homes, r.Materials} {
			if c.OK && c.Value < 0 {
				t.Errorf("Read(%q): negative count %d", s, c.Value)
			}
		}
		r.Assign([]string{"走一次疏散通道人数", "检查一次家庭火灾隐患户数"})
	})
}
