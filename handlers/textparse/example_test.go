package textparse_test

import (
	"fmt"
	"time"

	"firebot/handlers/textparse"
)

func ExampleParseDate() {
	cst := time.FixedZone("CST", 8*3600)
	today := time.Date(2023, 11, 8, 15, 0, 0, 0, cst) // from the campaign clock

	for _, s := range []string{"今天下午", "上周五", "11月3日上午", "十一月一日", "11.3", "2023-11-03", "3号", "9号"} {
		d, err := textparse.ParseDate(s, today)
		if err != nil {
			fmt.Println(s, "→", err)
			continue
		}
		fmt.Println(s, "→", d.Format("2006-01-02"))
	}
	_, err := textparse.ParseDate("2月30日", today)
	fmt.Println(err)
	// Output:
	// 今天下午 → 2023-11-08
	// 上周五 → 2023-11-03
	// 11月3日上午 → 2023-11-03
	// 十一月一日 → 2023-11-01
	// 11.3 → 2023-11-03
	// 2023-11-03 → 2023-11-03
	// 3号 → 2023-11-03
	// 9号 → 2023-10-09
	// 2月没有30日。可以写：今天、昨天、上周五、11月3日、11.3 或 2023-11-03
}

func ExampleParseCount() {
	for _, s := range []string{"80人", "八十", "一百零五", "一千二", "1,200", "８０"} {
		n, _ := textparse.ParseCount(s)
		fmt.Println(s, "→", n)
	}
	_, err := textparse.ParseCount("0")
	fmt.Println(err)
	// Output:
	// 80人 → 80
	// 八十 → 80
	// 一百零五 → 105
	// 一千二 → 1200
	// 1,200 → 1200
	// ８０ → 80
	// 不能是 0。请输入一个正整数，例如 80 或 八十。
}

func ExampleMatcher_Match() {
	m := textparse.MustNewMatcher(
		textparse.Command{Name: "进度", Words: []string{"查进度"}},
		textparse.Command{Name: "我的"},
		textparse.Command{Name: "我的记录"},
	)
	fmt.Println(m.Match("／进度 三社区"))
	fmt.Println(m.Match("【我的记录】"))
	fmt.Println(m.Suggest("进渡", 1))
	// Output:
	// 进度 三社区 true
	// 我的记录  true
	// [进度]
}

func ExampleExtractCount() {
	n, ok := textparse.ExtractCount("今天上午我们社区组织了疏散演练，80人参加")
	fmt.Println(n, ok)
	// Output: 80 true
}
