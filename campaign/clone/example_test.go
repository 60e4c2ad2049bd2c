package clone_test

import (
	"fmt"

	"firebot/campaign/clone"
)

func ExampleYear() {
	src := []byte(`campaign:
  id: 2023-119                      # 活动编号
  name: 上清寺街道2023年“119”消防宣传月
  occasion: 第32个全国消防日（11月9日）
  announced: 2023-10-26
  deadlines:
    - {id: report, time: 2023-12-01}
`)
	res, err := clone.Year(src, 2024)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(res.Data))
	for _, c := range res.Changes {
		fmt.Printf("%d %s: %s → %s\n", c.Line, c.Path, c.Old, c.New)
	}
	// Output:
	// campaign:
	//   id: 2024-119                      # 活动编号
	//   name: 上清寺街道2024年“119”消防宣传月
	//   occasion: 第33个全国消防日（11月9日）
	//   announced: 2024-10-26
	//   deadlines:
	//     - {id: report, time: 2024-12-01}  # 复核：截止日 2024-12-01 是星期日，未调整，请确认
	// 2 campaign.id: 2023-119 → 2024-119
	// 3 campaign.name: 上清寺街道2023年“119”消防宣传月 → 上清寺街道2024年“119”消防宣传月
	// 4 campaign.occasion: 第32个全国消防日（11月9日） → 第33个全国消防日（11月9日）
	// 5 campaign.announced: 2023-10-26 → 2024-10-26
	// 7 campaign.deadlines[0].time: 2023-12-01 → 2024-12-01
}
