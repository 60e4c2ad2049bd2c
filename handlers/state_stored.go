package handlers

import (
	"encoding/json"
	"maps"
	"strings"
	"time"
)

// The stored shape of a State (stateVersion 1). What the confirmation and
// nomination flows collect is stored whole as one typed struct per flow;
// the dialog engine's working keys that belong to no flow's struct (a
// question's values, notes of a duplicate, a message asked about) stay in
// values. The previous release (version 0) stored every value in values:
// reading it is the conversion, as each key lands where it is read from.
//
// Encoding is lossless: decoding what was encoded gives the same State
// (TestStoredStateRoundTrip).

// confirmValues is what the confirmation flow (上报) collects.
type confirmValues struct {
	Unit        string            `json:"unit,omitempty"`
	Supplier    string            `json:"supplier,omitempty"`
	Task        string            `json:"task,omitempty"`
	Date        string            `json:"date,omitempty"` // 2006-01-02
	Fields      map[string]string `json:"fields,omitempty"`
	Proposed    map[string]string `json:"proposed,omitempty"` // large numbers awaiting confirmation
	Place       string            `json:"place,omitempty"`
	Desc        string            `json:"desc,omitempty"`
	Also        string            `json:"also,omitempty"`         // task ids, comma-separated
	PhotosSaved string            `json:"photos_saved,omitempty"` // photos the edited record has
	Hint        string            `json:"hint,omitempty"`         // the free text the report began with
	Cand        string            `json:"cand,omitempty"`         // tied task ids, comma-separated
	Notes       map[string]string `json:"notes,omitempty"`        // by step id: what a value was read from
}

func (v *confirmValues) slots() ([]valueSlot, []prefixSlot) {
	return []valueSlot{
			{StepUnit, &v.Unit}, {stepSupplier, &v.Supplier}, {stepTask, &v.Task}, {stepDate, &v.Date},
			{stepPlace, &v.Place}, {stepDesc, &v.Desc}, {valAlso, &v.Also}, {valPhotosSaved, &v.PhotosSaved},
			{valHint, &v.Hint}, {valCand, &v.Cand},
		}, []prefixSlot{
			{valFieldPrefix, &v.Fields}, {valProposedPrefix, &v.Proposed}, {valNotePrefix, &v.Notes},
		}
}

// nominateValues is what the nomination flow (推荐) collects.
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

func (v *nominateValues) slots() ([]valueSlot, []prefixSlot) {
	return []valueSlot{
		{StepUnit, &v.Unit}, {stepKind, &v.Kind}, {stepName, &v.Name}, {stepAffiliation, &v.Affiliation},
		{stepYears, &v.Years}, {stepReason, &v.Reason}, {stepScope, &v.Scope}, {stepDeeds, &v.Deeds},
		{stepPhone, &v.Phone}, {valRecommender, &v.Recommender},
	}, nil
}

// flowValues is a flow's struct: where each of its State.Values keys goes.
type flowValues interface {
	slots() ([]valueSlot, []prefixSlot)
}

// valueSlot ties a State.Values key to a field of a flow's struct.
type valueSlot struct {
	key string
	ptr *string
}

// prefixSlot ties the State.Values keys starting with prefix to a map.
type prefixSlot struct {
	prefix string
	ptr    *map[string]string
}

// storedState is State as stored.
type storedState struct {
	Version  int               `json:"version"`
	Flow     string            `json:"flow"`
	Step     string            `json:"step"`
	Confirm  *confirmValues    `json:"confirm,omitempty"`
	Nominate *nominateValues   `json:"nominate,omitempty"`
	Values   map[string]string `json:"values,omitempty"` // keys of no flow's struct
	Done     map[string]bool   `json:"done,omitempty"`
	History  []string          `json:"history,omitempty"`
	Units    []string          `json:"units,omitempty"`
	Record   string            `json:"record,omitempty"`
	Photos   []string          `json:"photos,omitempty"`
	Started  time.Time         `json:"started"`
}

// MarshalJSON stores s in the current shape.
func (s State) MarshalJSON() ([]byte, error) {
	st := storedState{
		Version: stateVersion, Flow: s.Flow, Step: s.Step, Done: s.Done, History: s.History,
		Units: s.Units, Record: s.Record, Photos: s.Photos, Started: s.Started,
	}
	rest := maps.Clone(s.Values)
	switch s.Flow {
	case flowConfirm:
		st.Confirm = &confirmValues{}
		take(rest, st.Confirm)
	case flowNominate:
		st.Nominate = &nominateValues{}
		take(rest, st.Nominate)
		if p, ok := rest[deedsPartsKey]; ok {
			var parts []string
			if json.Unmarshal([]byte(p), &parts) == nil && len(parts) > 0 && string(mustJSON(parts)) == p {
				st.Nominate.DeedsParts = parts
				delete(rest, deedsPartsKey)
			}
		}
	}
	if len(rest) > 0 {
		st.Values = rest
	}
	return json.Marshal(st)
}

// UnmarshalJSON reads a stored State of this or the previous version
// (decodeState then checks the version).
func (s *State) UnmarshalJSON(data []byte) error {
	var st storedState
	if err := json.Unmarshal(data, &st); err != nil {
		return err
	}
	*s = State{
		Version: st.Version, Flow: st.Flow, Step: st.Step, Values: st.Values, Done: st.Done,
		History: st.History, Units: st.Units, Record: st.Record, Photos: st.Photos, Started: st.Started,
	}
	if s.Values == nil && (st.Confirm != nil || st.Nominate != nil) {
		s.Values = map[string]string{}
	}
	if st.Confirm != nil {
		put(s.Values, st.Confirm)
	}
	if n := st.Nominate; n != nil {
		put(s.Values, n)
		if len(n.DeedsParts) > 0 {
			s.Values[deedsPartsKey] = string(mustJSON(n.DeedsParts))
		}
	}
	return nil
}

// take moves the keys of the slots from values into the struct.
func take(values map[string]string, fv flowValues) {
	vs, ps := fv.slots()
	for _, sl := range vs {
		if v := values[sl.key]; v != "" {
			*sl.ptr = v
			delete(values, sl.key)
		}
	}
	for _, sl := range ps {
		for k, v := range values {
			if id, ok := strings.CutPrefix(k, sl.prefix); ok {
				if *sl.ptr == nil {
					*sl.ptr = map[string]string{}
				}
				(*sl.ptr)[id] = v
				delete(values, k)
			}
		}
	}
}

// put copies the struct's non-empty values back to their keys.
func put(values map[string]string, fv flowValues) {
	vs, ps := fv.slots()
	for _, sl := range vs {
		if *sl.ptr != "" {
			values[sl.key] = *sl.ptr
		}
	}
	for _, sl := range ps {
		for id, v := range *sl.ptr {
			values[sl.prefix+id] = v
		}
	}
}

func mustJSON(v []string) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // a []string always encodes
	}
	return b
}
