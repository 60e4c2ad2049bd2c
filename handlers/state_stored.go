package handlers

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"
)

// The stored shape of a State (stateVersion 1). What a flow collects is
// stored whole as one typed struct (Flow.Stored: the confirmation's, the
// nomination's), under the flow's id beside the engine's fields; the
// working keys that belong to no flow's struct (a question's values, notes
// of a duplicate, a message asked about) stay in values. The previous
// release (version 0) stored every value in values: reading it is the
// conversion, as each key lands where it is read from. The router encodes
// and decodes, as only it knows each flow's struct.
//
// Encoding is lossless: decoding what was encoded gives the same State
// (TestStoredStateRoundTrip).

// StoredValues is a flow's collected values as one typed struct, stored
// whole (Flow.Stored); Slots says where each State.Values key goes.
type StoredValues interface {
	Slots() Slots
}

// Slots tie State.Values keys to the fields of a flow's struct: Values a
// key to a string field; Prefixes the keys starting with a prefix to a
// map, by the rest of the key; Lists a key holding a JSON list of strings
// to a list field (a value that is not a non-empty list exactly as
// encoded stays in values).
type Slots struct {
	Values   map[string]*string
	Prefixes map[string]*map[string]string
	Lists    map[string]*[]string
}

// storedState is State as stored, but for the flow's struct (its fields
// are State's, in the same order).
type storedState struct {
	Version int               `json:"version"`
	Flow    string            `json:"flow"`
	Step    string            `json:"step"`
	Values  map[string]string `json:"values,omitempty"` // keys of no flow's struct
	Done    map[string]bool   `json:"done,omitempty"`
	History []string          `json:"history,omitempty"`
	Units   []string          `json:"units,omitempty"`
	Record  string            `json:"record,omitempty"`
	Photos  []string          `json:"photos,omitempty"`
	Started time.Time         `json:"started"`
}

// storedFields are storedState's JSON names, which no flow id with a
// struct may take.
var storedFields = []string{"version", "flow", "step", "values", "done", "history", "units", "record", "photos", "started"}

// encodeState stores s in the current shape.
func (r *Router) encodeState(s State) ([]byte, error) {
	st := storedState{
		Version: stateVersion, Flow: s.Flow, Step: s.Step, Done: s.Done, History: s.History,
		Units: s.Units, Record: s.Record, Photos: s.Photos, Started: s.Started,
	}
	rest := maps.Clone(s.Values)
	var typed []byte
	if f := r.flows[s.Flow]; f != nil && f.Stored != nil {
		v := f.Stored()
		take(rest, v.Slots())
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("handlers: encode dialog: %w", err)
		}
		typed = b
	}
	if len(rest) > 0 {
		st.Values = rest
	}
	b, err := json.Marshal(st)
	if err != nil || typed == nil {
		return b, err
	}
	key, err := json.Marshal(s.Flow)
	if err != nil {
		return nil, err
	}
	// The flow's struct, under its id, closes the object.
	b = append(b[:len(b)-1], ',')
	b = append(append(append(b, key...), ':'), typed...)
	return append(b, '}'), nil
}

// decodeState reads a stored State of this or the previous version,
// converting an older shape.
func (r *Router) decodeState(data []byte) (State, error) {
	var st storedState
	if err := json.Unmarshal(data, &st); err != nil {
		return State{}, fmt.Errorf("handlers: decode dialog: %w", err)
	}
	s := State(st)
	if f := r.flows[s.Flow]; f != nil && f.Stored != nil {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			return State{}, fmt.Errorf("handlers: decode dialog: %w", err)
		}
		if typed, ok := raw[s.Flow]; ok {
			v := f.Stored()
			if err := json.Unmarshal(typed, v); err != nil {
				return State{}, fmt.Errorf("handlers: decode dialog %s: %w", s.Flow, err)
			}
			if s.Values == nil {
				s.Values = map[string]string{}
			}
			put(s.Values, v.Slots())
		}
	}
	if err := s.upgrade(); err != nil {
		return State{}, err
	}
	return s, nil
}

// take moves the keys of the slots from values into the struct.
func take(values map[string]string, sl Slots) {
	for key, ptr := range sl.Values {
		if v := values[key]; v != "" {
			*ptr = v
			delete(values, key)
		}
	}
	for prefix, ptr := range sl.Prefixes {
		for k, v := range values {
			if id, ok := strings.CutPrefix(k, prefix); ok {
				if *ptr == nil {
					*ptr = map[string]string{}
				}
				(*ptr)[id] = v
				delete(values, k)
			}
		}
	}
	for key, ptr := range sl.Lists {
		p, ok := values[key]
		if !ok {
			continue
		}
		var list []string
		if json.Unmarshal([]byte(p), &list) == nil && len(list) > 0 && string(mustJSON(list)) == p {
			*ptr = list
			delete(values, key)
		}
	}
}

// put copies the struct's non-empty values back to their keys.
func put(values map[string]string, sl Slots) {
	for key, ptr := range sl.Values {
		if *ptr != "" {
			values[key] = *ptr
		}
	}
	for prefix, ptr := range sl.Prefixes {
		for id, v := range *ptr {
			values[prefix+id] = v
		}
	}
	for key, ptr := range sl.Lists {
		if len(*ptr) > 0 {
			values[key] = string(mustJSON(*ptr))
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
