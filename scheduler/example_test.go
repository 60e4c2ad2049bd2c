package scheduler_test

import (
	"fmt"
	"time"

	"firebot/config"
	"firebot/config/configtest"
	"firebot/scheduler"
)

// The 2023 campaign's reminders before the main event, as `firebot
// reminders plan` lists them.
func ExampleTimetable_Fires() {
	cfg, problems, err := config.Load(configtest.Path())
	if err != nil || len(problems) > 0 {
		panic(fmt.Sprint(err, problems))
	}
	tt, err := scheduler.NewTimetable(cfg)
	if err != nil {
		panic(err)
	}
	from := cfg.Campaign.Announced
	to := time.Date(2023, 11, 3, 0, 0, 0, 0, cfg.Location)
	for _, f := range tt.Fires(from, to) {
		fmt.Println(f.At.Format("2006-01-02 15:04"), f.Plan, f.LastDay)
	}
	// Output:
	// 2023-10-26 15:00 nomination_chase false
	// 2023-10-27 09:00 nomination_chase true
	// 2023-10-27 15:00 nomination_chase true
	// 2023-10-28 09:00 nomination_last_day true
	// 2023-11-01 09:00 office_digest false
	// 2023-11-02 09:00 office_digest false
}
