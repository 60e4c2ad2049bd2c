// Package campaign is firebot's domain model: one publicity campaign (its
// period, events, deadlines, the tasks units must report, the volunteer
// nomination rules and the office contacts) and the roster of units that take
// part in it.
//
// The package is pure: it does no I/O and never reads the clock. Values are
// built by package config from the YAML file and then shared read-only.
//
// Applicability is the heart of it. A Task (and the Nomination) names the
// units it applies to through AppliesTo: a list of unit kinds and, optionally,
// of organisation categories.
//
//	evac := campaign.Task{ID: "evacuation_drill", AppliesTo: campaign.AppliesTo{
//		Kinds:      []campaign.Kind{campaign.KindOrganisation},
//		Categories: []campaign.Category{campaign.CategorySchool},
//	}}
//	evac.AppliesToUnit(school)    // true
//	evac.AppliesToUnit(community) // false
//
// An empty Kinds list means "every community and organisation"; sectors
// (板块) only group units and have tasks only when a task names KindSector.
//
// Times are time.Time in the campaign's configured location. A deadline
// written as a bare date means the last second of that day (23:59:59); see
// ParseTime and EndOfDayOf.
package campaign
