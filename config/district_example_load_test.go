package config_test

import (
	"fmt"

	"firebot/config"
)

func ExampleLoadDistrict() {
	dist, problems, err := config.LoadDistrict("../district.example.yaml")
	if err != nil || len(problems) > 0 {
		fmt.Println(err, problems)
		return
	}
	fmt.Println(dist.Name, dist.Users)
	for _, s := range dist.Streets {
		fmt.Println(s.ID, s.Name, s.File, s.Config.Campaign.Period.Start.Format("01-02"), s.Config.WeCom.CorpID)
	}
	s, _ := dist.StreetOfChat("chat_jfb_comm")
	fmt.Println("chat_jfb_comm →", s.Name)
	// Output:
	// 渝中区 [liqiang]
	// chaotianmen 朝天门街道 ../streets/chaotianmen.yaml 11-01 ww_placeholder_corp
	// jiefangbei 解放碑街道 ../streets/jiefangbei.yaml 11-06 ww_placeholder_corp
	// shangqingsi 上清寺街道 ../streets/shangqingsi.yaml 11-01 ww_placeholder_corp
	// chat_jfb_comm → 解放碑街道
}
