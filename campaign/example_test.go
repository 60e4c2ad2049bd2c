package campaign_test

import (
	"fmt"
	"time"

	"firebot/campaign"
)

func ExampleTask_AppliesToUnit() {
	drill := campaign.Task{ID: "evacuation_drill", AppliesTo: campaign.AppliesTo{
		Kinds:      []campaign.Kind{campaign.KindOrganisation},
		Categories: []campaign.Category{campaign.CategorySchool, campaign.CategoryHotel},
	}}
	school := campaign.Unit{Name: "示例小学", Kind: campaign.KindOrganisation, Category: campaign.CategorySchool}
	community := campaign.Unit{Name: "示例社区", Kind: campaign.KindCommunity}
	fmt.Println(drill.AppliesToUnit(school), drill.AppliesToUnit(community))
	// Output: true false
}

func ExampleParseTime() {
	loc := time.FixedZone("CST", 8*3600)
	deadline, dateOnly, _ := campaign.ParseTime("2023-10-28", loc, campaign.EndOfDay)
	fmt.Println(deadline.Format("2006-01-02 15:04:05 -0700"), dateOnly)
	// Output: 2023-10-28 23:59:59 +0800 true
}
