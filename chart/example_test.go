package chart_test

import (
	"bytes"
	"fmt"
	"image/png"

	"firebot/campaign"
	"firebot/chart"
)

func ExampleProgress() {
	roster := campaign.Roster{
		{ID: "north", Name: "北片板块", Kind: campaign.KindSector},
		{ID: "c1", Name: "学田湾社区", Kind: campaign.KindCommunity, Sector: "north"},
		{ID: "o1", Name: "示例实验小学", Kind: campaign.KindOrganisation, Category: campaign.CategorySchool, Sector: "north"},
	}
	t := chart.NewTally(roster)
	t.Add(roster[1], 3, 5)  // 学田湾社区: 3 of its 5 tasks done
	t.Add(roster[2], 1, 10) // 示例实验小学: 1 of 10
	b, err := chart.Progress(t.Data("消防宣传月完成进度", "截至 2023-11-20 09:00"))
	if err != nil {
		fmt.Println(err)
		return
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds().Dx(), "px wide,", len(b) < chart.MaxPNGBytes)
	for _, bar := range t.Categories() {
		fmt.Println(bar.Label, bar.Text())
	}
	// Output:
	// 960 px wide, true
	// 社区 60%（3/5）
	// 学校 10%（1/10）
}
