package scheduler

import (
	"fmt"
	"slices"

	"firebot/campaign"
	"firebot/config"
)

// TaskNomination may be listed in a plan's audience.tasks to mean the
// volunteer nomination (it is not a task of the campaign).
const TaskNomination = "nomination"

// Check lists every mistake in cfg.Reminders.Plans that config.Parse leaves
// to the scheduler: offsets, at, cron and from/to that cannot be read or fire
// after their deadline, plans with no time at all, and audiences that name
// unknown sectors, units or tasks or lack what their type needs. `config
// check` and `serve` add these to config.Parse's problems.
func Check(cfg *config.Config) []config.Problem {
	_, ps := compile(cfg)
	out := make([]config.Problem, 0, len(ps))
	for _, p := range ps {
		out = append(out, config.Problem{File: cfg.File, Line: cfg.Line(p.path), Path: p.path, Msg: p.msg})
	}
	return out
}

// checkAudiences checks what each plan's audience refers to.
func checkAudiences(cfg *config.Config) []problem {
	var ps []problem
	for i, pc := range cfg.Reminders.Plans {
		path := fmt.Sprintf("reminders.plans[%d].audience", i)
		bad := func(p, format string, args ...any) {
			ps = append(ps, problem{path + p, fmt.Sprintf(format, args...)})
		}
		a := pc.Audience
		switch a.Type {
		case "":
			bad(".type", "缺少提醒对象（可选：all_bound、missing、kind、category、sector、office、officers）")
		case config.AudienceKind:
			if len(a.Kinds) == 0 {
				bad(".kinds", "提醒对象为 kind 时需要列出 kinds")
			}
		case config.AudienceCategory:
			if len(a.Categories) == 0 {
				bad(".categories", "提醒对象为 category 时需要列出 categories")
			}
		case config.AudienceSector:
			if len(a.Sectors) == 0 {
				bad(".sectors", "提醒对象为 sector 时需要列出 sectors")
			}
		case config.AudienceOffice:
			if len(cfg.Access.OfficeChats) == 0 {
				bad(".type", "提醒对象为 office，但 access.office_chats 没有配置街道办公群")
			}
		}
		for j, s := range a.Sectors {
			if u, ok := cfg.Units.Unit(s); !ok || u.Kind != campaign.KindSector {
				bad(fmt.Sprintf(".sectors[%d]", j), "未知的板块 %q（填写 kind 为 sector 的单位 id）", s)
			}
		}
		for j, s := range a.Units {
			if _, ok := cfg.Units.Unit(s); !ok {
				bad(fmt.Sprintf(".units[%d]", j), "未知的单位 %q", s)
			}
		}
		d, hasDeadline := cfg.Campaign.Deadline(pc.Deadline)
		for j, s := range a.Tasks {
			p := fmt.Sprintf(".tasks[%d]", j)
			if s == TaskNomination {
				if cfg.Campaign.Nomination == nil {
					bad(p, "本次活动没有志愿者推荐")
				} else if hasDeadline && !d.CoversNomination() {
					bad(p, "截止项 %q 不包括志愿者推荐", d.ID)
				}
				continue
			}
			t, ok := cfg.Campaign.Task(s)
			if !ok {
				bad(p, "未知的任务 %q（或写 nomination 表示志愿者推荐）", s)
				continue
			}
			if hasDeadline && !deadlineCoversTask(&cfg.Campaign, d, t) {
				bad(p, "任务 %q 不在截止项 %q 之内", s, d.ID)
			}
		}
	}
	return ps
}

// deadlineCoversTask reports whether reports of t are due at d: the task
// names d (or the default report deadline), or d lists the task's id.
func deadlineCoversTask(c *campaign.Campaign, d campaign.Deadline, t campaign.Task) bool {
	if slices.Contains(d.Covers, t.ID) {
		return true
	}
	td, ok := c.TaskDeadline(t)
	return ok && td.ID == d.ID
}
