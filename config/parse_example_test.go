package config_test

import (
	"fmt"

	"firebot/config"
)

func ExampleParse() {
	yaml := `
access:
  office_users: [zhujun]
campaign:
  id: 2023-119
  name: 宣传月
  period: {start: 2023-11-01, end: 2023-11-30}
units:
  - {id: h1, name: 示例医院, kind: organisation, category: 医院}
`
	_, problems := config.Parse("config.yaml", []byte(yaml), nil)
	for _, p := range problems {
		fmt.Println(p.File, p.Line, p.Path)
	}
	// Output: config.yaml 9 units[0].category
}
