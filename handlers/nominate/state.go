package nominate

import (
	"slices"
	"strconv"

	"firebot/handlers"
	"firebot/ledger"
	"firebot/store"
)

// The names a nomination's State is made of: its step ids (handlers.StepUnit
// and handlers.StepSummary besides), and the names its values had in the
// bag of strings earlier releases stored (nominateData.Slots). They are
// stored: changing one loses the dialogs in progress.
const (
	stepKind        = "kind"
	stepName        = "name"
	stepAffiliation = "affiliation"
	stepYears       = "years"
	stepReason      = "reason"
	stepScope       = "scope"
	stepDeeds       = "deeds"
	stepPhone       = "phone"

	// The names of the values that are not a step's own.
	valRecommender  = "recommender"
	deedsPartsKey   = "deeds.parts"
	deedsPendingKey = "deeds.pending"
)

// nominateData is what the nomination flow collects (handlers.Data); the
// unit is the State's.
type nominateData struct {
	Kind        string   `json:"kind,omitempty"`
	Name        string   `json:"name,omitempty"`
	Affiliation string   `json:"affiliation,omitempty"`
	Years       string   `json:"years,omitempty"` // whole years, as digits
	Reason      string   `json:"reason,omitempty"`
	Scope       string   `json:"scope,omitempty"` // 1-based, as digits
	Deeds       string   `json:"deeds,omitempty"` // the parts joined by newlines: what is submitted
	DeedsParts  []string `json:"deeds_parts,omitempty"`
	// DeedsPending is a short message the deeds step asked about (加入
	// adds it); it is kept only while the step waits (Flow.Scratch).
	DeedsPending string `json:"deeds_pending,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Recommender  string `json:"recommender,omitempty"` // the name it is submitted under
}

// data is s's nomination.
func data(s *handlers.State) *nominateData { return handlers.DataOf[nominateData](s) }

func (v *nominateData) Clone() handlers.Data {
	c := *v
	c.DeedsParts = slices.Clone(v.DeedsParts)
	return &c
}

func (v *nominateData) Slots() handlers.Slots {
	return handlers.Slots{
		Values: map[string]*string{
			stepKind: &v.Kind, stepName: &v.Name, stepAffiliation: &v.Affiliation,
			stepYears: &v.Years, stepReason: &v.Reason, stepScope: &v.Scope, stepDeeds: &v.Deeds,
			stepPhone: &v.Phone, valRecommender: &v.Recommender, deedsPendingKey: &v.DeedsPending,
		},
		Lists: map[string]*[]string{deedsPartsKey: &v.DeedsParts},
	}
}

// nominationState is the state of a stored nomination, for 修改.
func nominationState(r *store.Record) (handlers.State, error) {
	pay, err := ledger.DecodeNomination(r)
	if err != nil {
		return handlers.State{}, err
	}
	d := &nominateData{Kind: pay.NomineeKind, Name: pay.Name, Affiliation: pay.Affiliation, Years: strconv.Itoa(pay.Years),
		Reason: pay.YearsReason, Deeds: pay.Deeds, Phone: pay.Phone, Recommender: pay.RecommenderName}
	if pay.Scope > 0 {
		d.Scope = strconv.Itoa(pay.Scope)
	}
	if d.Recommender == "" {
		d.Recommender = pay.RecommenderID
	}
	return handlers.State{Units: []string{r.UnitID}, Unit: r.UnitID, Data: d}, nil
}
