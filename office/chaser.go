package office

import (
	"time"

	"firebot/campaign"
	"firebot/config"
	"firebot/scheduler"
	"firebot/store"
)

// Chaser sends the targeted reminder for one deadline now (催报).
// scheduler.Chaser, the default, does it with the scheduler's own targeting
// and exactly-once claims.
type Chaser interface {
	// Chase addresses, inside tx, every unit that still owes something
	// due by deadline d, as a reminder counting from d would; units, when
	// not empty, narrows it to those unit ids (a scope). round numbers
	// the chases of d on now's day (1, 2…) so each has its own
	// exactly-once bookkeeping and idempotency keys. now is the campaign
	// time.
	Chase(tx store.Tx, cfg *config.Config, d campaign.Deadline, now time.Time, round int, units []string) (ChaseResult, error)
}

// ChaseResult says whom a chase addressed (units, group pushes, units
// reached by application message for want of a group).
type ChaseResult = scheduler.ChaseResult
