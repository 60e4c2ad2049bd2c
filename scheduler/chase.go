package scheduler

import (
	"fmt"
	"strconv"
	"time"

	"firebot/campaign"
	"firebot/config"
	"firebot/outbox"
	"firebot/store"
	"firebot/zhfmt"
)

// chasePlan is the plan id of the ad-hoc plan a chase fires.
const chasePlan = "chase"

// ChaseResult says whom a chase (催报) addressed.
type ChaseResult struct {
	Units  []string // unit ids addressed, sorted
	Groups int      // group pushes
	Direct int      // units without a group, reached by application message
}

// Chaser sends 催报's targeted reminder for one deadline now, through the
// scheduler's own targeting: it is a fire, at now, of an ad-hoc plan
// counting from the deadline with the missing audience. So exactly the
// units owing a task due by the deadline (or a nomination, when the
// deadline covers nominations) are addressed; each group bound to such
// units gets one message naming them and what they owe, mentioning their
// officers; a unit without a group gets an application message to its
// officers. The message reads like a scheduled reminder titled
// "催报：<deadline title>".
//
// Unlike a planned fire, a chase is never deferred by quiet hours and
// 免打扰 (Mute) does not apply: mute pauses scheduled reminders, and a chase
// is the office asking now.
//
// Each target is claimed, as a planned fire's is, in the caller's unit of
// work together with its outbox entry, under ChaseSource (deadline, now's
// day, round): a retried callback for the same round sends nothing twice,
// and a new round sends again. Chaser needs no running Scheduler.
type Chaser struct{}

// ChaseSource is the outbox source of every push of a chase:
// "chase:<deadline>:<day>:<round>", e.g. "chase:report:2023-11-20:1". A
// push's idempotency key is the source, ":" and its target ("chat:<id>" or
// "unit:<id>").
func ChaseSource(deadlineID string, day time.Time, round int) string {
	return outbox.Key("chase", deadlineID, day.Format("2006-01-02"), strconv.Itoa(round))
}

// Chase addresses, inside tx, every unit that still owes something due by
// deadline d; units, when not empty, narrows it to those unit ids (催报
// with a scope). now is the campaign time (its day, in the configured
// location, is part of the keys); round numbers the chases of d on that
// day. Targets already claimed by this round are counted in the result but
// not sent again.
func (Chaser) Chase(tx store.Tx, cfg *config.Config, d campaign.Deadline, now time.Time, round int, units []string) (ChaseResult, error) {
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	d.Time = d.Time.In(loc)
	p := &plan{
		cfg: config.Plan{ID: chasePlan, Title: "催报：" + d.Title, Deadline: d.ID,
			Audience: config.Audience{Type: config.AudienceMissing, Units: units}, Urgent: true},
		anchor: anchor{deadline: &d},
	}
	// LastDay makes compose ignore 免打扰, as it does on a deadline's last day.
	f := Fire{Plan: chasePlan, Nominal: now, At: now, LastDay: true}
	source := ChaseSource(d.ID, now, round)
	v := (&targeter{cfg: cfg}).view(tx)
	targets, err := v.targets(p, f)
	if err != nil {
		return ChaseResult{}, fmt.Errorf("scheduler: chase %s: %w", d.ID, err)
	}
	var res ChaseResult
	for _, target := range targets {
		dl, err := v.compose(p, f, target, now)
		if err != nil {
			return ChaseResult{}, fmt.Errorf("scheduler: chase %s to %s: %w", d.ID, target, err)
		}
		if dl == nil {
			continue
		}
		res.Units = append(res.Units, dl.units...)
		if dl.chatID != "" {
			res.Groups++
		} else {
			res.Direct++
		}
		claim := cfg.Campaign.ID + "|" + source + "|" + target
		label := fmt.Sprintf("催报“%s”（%s 第%d次）", d.Title, zhfmt.Moment(now), round)
		if _, err := enqueue(tx, claim, outbox.Key(source, target), source, label, dl, now); err != nil {
			return ChaseResult{}, fmt.Errorf("scheduler: chase %s to %s: %w", d.ID, target, err)
		}
	}
	res.Units = uniqueSorted(res.Units)
	return res, nil
}

// enqueue claims claim and enqueues d's push under the idempotency key, in
// tx, so both commit together or not at all. It reports false, enqueueing
// nothing, when the claim was already taken. The source is watched (label
// names the job): when its pushes are all final, the office hears of those
// given up, in one summary (office.Tick).
func enqueue(tx store.Tx, claim, key, source, label string, d *delivery, now time.Time) (bool, error) {
	if ok, err := store.PutIfAbsent(tx, bClaims, claim, []byte(now.Format(time.RFC3339)), 0); err != nil || !ok {
		return false, err
	}
	if err := outbox.Watch(tx, source, label); err != nil {
		return false, err
	}
	if d.chatID != "" {
		return true, outbox.GroupMarkdown(tx, key, source, d.chatID, d.content, d.mentions)
	}
	return true, outbox.UserText(tx, key, source, d.users, d.content)
}
