package nominate

import (
	"strconv"

	"firebot/handlers"
	"firebot/ledger"
	"firebot/store"
)

// The names a nomination's State is made of: its step ids (handlers.StepUnit
// and handlers.StepSummary besides) and the State.Values keys besides the
// steps' own. They are stored: changing one loses the dialogs in progress.
const (
	stepKind        = "kind"
	stepName        = "name"
	stepAffiliation = "affiliation"
	stepYears       = "years"
	stepReason      = "reason"
	stepScope       = "scope"
	stepDeeds       = "deeds"
	stepPhone       = "phone"

	// valRecommender is the name a nomination is submitted under.
	valRecommender = "recommender"
	// deedsPartsKey holds the deeds parts, a JSON list; stepDeeds holds
	// them joined by newlines, what is submitted.
	deedsPartsKey = "deeds.parts"
	// deedsPendingKey holds a short message the deeds step asked about.
	deedsPendingKey = "deeds.pending"
)

// nominateValues is what the nomination flow stores (state_stored.go).
type nominateValues struct {
	Unit        string   `json:"unit,omitempty"`
	Kind        string   `json:"kind,omitempty"`
	Name        string   `json:"name,omitempty"`
	Affiliation string   `json:"affiliation,omitempty"`
	Years       string   `json:"years,omitempty"`
	Reason      string   `json:"reason,omitempty"`
	Scope       string   `json:"scope,omitempty"` // 1-based
	Deeds       string   `json:"deeds,omitempty"` // the parts joined by newlines
	DeedsParts  []string `json:"deeds_parts,omitempty"`
	Phone       string   `json:"phone,omitempty"`
	Recommender string   `json:"recommender,omitempty"`
}

func (v *nominateValues) Slots() handlers.Slots {
	return handlers.Slots{
		Values: map[string]*string{
			handlers.StepUnit: &v.Unit, stepKind: &v.Kind, stepName: &v.Name, stepAffiliation: &v.Affiliation,
			stepYears: &v.Years, stepReason: &v.Reason, stepScope: &v.Scope, stepDeeds: &v.Deeds,
			stepPhone: &v.Phone, valRecommender: &v.Recommender,
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
	s := handlers.State{Units: []string{r.UnitID}, Values: map[string]string{}}
	s.Set(handlers.StepUnit, r.UnitID)
	s.Set(stepKind, pay.NomineeKind)
	s.Set(stepName, pay.Name)
	s.Set(stepAffiliation, pay.Affiliation)
	s.Set(stepYears, strconv.Itoa(pay.Years))
	s.Set(stepReason, pay.YearsReason)
	if pay.Scope > 0 {
		s.Set(stepScope, strconv.Itoa(pay.Scope))
	}
	s.Set(stepDeeds, pay.Deeds)
	s.Set(stepPhone, pay.Phone)
	rec := pay.RecommenderName
	if rec == "" {
		rec = pay.RecommenderID
	}
	s.Set(valRecommender, rec)
	return s, nil
}
