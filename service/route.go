package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"firebot/bot"
	"firebot/campaign"
	"firebot/clock"
	"firebot/store"
)

// The district's route index, kept in the district's own store slot: which
// street a group chat or a user belongs to once a message has shown it.
// Values are street ids.
const (
	bRouteChat = "route_chat" // chat id → street
	bRouteUser = "route_user" // user id → street
)

// discoveredTTL is how long the answer of a discovery that the route
// index does not keep — no street at all, or only the sender's street for
// a group not bound yet — stands for that chat and sender, so their next
// messages are not looked for again in every street's store.
const discoveredTTL = time.Minute

// router places each callback in its street before its unit of work
// begins (bot.EndpointOptions.Route): by the configuration (office chats and
// staff of a street, the district's own chats and staff), then by the
// route index, and otherwise by asking each street's store — is the chat
// bound there, is the sender an officer there, does a 绑定 name one of its
// units — and remembering the answer in the index. A message that belongs
// to no street runs in the district's slot (Street "").
type router struct {
	district store.Store
	streets  []*Service
	byID     map[string]*Service
	// From the configuration.
	chats, users      map[string]string // → street
	names             map[string]string // a street's id, name and name without 街道 → its id
	staffChats, staff map[string]bool   // the district's own
	real              clock.Clock
	mu                sync.Mutex
	discovered        map[string]discovery // chat|user → a recent discovery's answer
	// prepare does the district's reading for a message of no street
	// before its unit of work (district.Desk.Prepare).
	prepare func(ctx context.Context, m *bot.Message) (any, error)
}

func (r *router) memory(street string) bot.Memory {
	if s := r.byID[street]; s != nil {
		return store.Callbacks{Store: s.Store}
	}
	return store.Callbacks{Store: r.district}
}

// route implements bot.EndpointOptions.Route.
func (r *router) route(ctx context.Context, m *bot.Message) (bot.Memory, error) {
	street, err := r.streetOf(ctx, m)
	if err != nil {
		return nil, err
	}
	m.Street = street
	if street == "" && r.prepare != nil {
		if m.Prepared, err = r.prepare(ctx, m); err != nil {
			return nil, err
		}
	}
	return r.memory(street), nil
}

func (r *router) streetOf(ctx context.Context, m *bot.Message) (string, error) {
	group := m.ChatType == bot.ChatGroup
	if r.staffChats[m.ChatID] || (!group && r.staff[m.SenderID]) {
		if r.staff[m.SenderID] {
			return r.staffStreet(ctx, m)
		}
		return "", nil
	}
	if s, ok := r.chats[m.ChatID]; ok {
		return s, nil
	}
	if s, ok := r.users[m.SenderID]; ok && !group {
		return s, nil
	}
	key := m.ChatID + "|" + m.SenderID
	bindName, binding := bindsUnit(m)
	if street, ok := r.recent(key); ok && !binding {
		return street, nil
	}
	// The index: a group by its chat, then anyone by who they are — but a
	// 绑定 in a group not placed yet goes by the unit it names (discover).
	type indexKey struct{ bucket, key string }
	keys := []indexKey{{bRouteUser, m.SenderID}}
	switch {
	case binding:
		keys = []indexKey{{bRouteChat, m.ChatID}}
	case group:
		keys = []indexKey{{bRouteChat, m.ChatID}, {bRouteUser, m.SenderID}}
	}
	var found string
	err := r.district.View(ctx, func(tx store.Tx) error {
		for _, k := range keys {
			b, err := tx.Get(k.bucket, k.key)
			if err == nil {
				found = string(b)
				return nil
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if r.byID[found] != nil {
		return found, nil
	}
	return r.discover(ctx, m, key, bindName)
}

// bindsUnit reports whether m is a 绑定 in a group, and the unit it names
// ("" when none): it places a group not placed yet by that unit.
func bindsUnit(m *bot.Message) (name string, binding bool) {
	if m.ChatType != bot.ChatGroup {
		return "", false
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(m.Text), "绑定")
	if !ok {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// discover asks each street's store about the message's chat and sender,
// and the unit a 绑定 names (bindName, bindsUnit), and remembers what it
// finds in the route index.
func (r *router) discover(ctx context.Context, m *bot.Message, key, bindName string) (string, error) {
	group := m.ChatType == bot.ChatGroup
	var chatStreet, nameStreet string
	userStreet := r.users[m.SenderID]
	nameStreets := 0 // streets with a unit of that name
	for _, s := range r.streets {
		err := s.Store.View(ctx, func(tx store.Tx) error {
			if group && chatStreet == "" {
				ids, err := store.UnitsOfChat(tx, m.ChatID)
				if err != nil {
					return err
				}
				if len(ids) > 0 {
					chatStreet = s.street()
				}
			}
			if userStreet == "" {
				us, err := store.UnitsOfOfficer(tx, m.SenderID)
				if err != nil {
					return err
				}
				if len(us) > 0 {
					userStreet = s.street()
				}
			}
			if bindName != "" {
				roster, err := store.Roster(tx)
				if err != nil {
					return err
				}
				if slices.ContainsFunc(roster, func(u campaign.Unit) bool { return u.Name == bindName }) {
					nameStreet = s.street()
					nameStreets++
				}
			}
			return nil
		})
		if err != nil {
			return "", err
		}
		if chatStreet != "" {
			break
		}
	}
	if nameStreets > 1 {
		nameStreet = "" // the same name in two streets: the sender decides
	}
	street := chatStreet
	if street == "" {
		street = nameStreet
	}
	if street == "" {
		street = userStreet
	}
	if street == "" || (group && chatStreet == "" && nameStreet == "" && bindName == "") {
		r.remember(key, street) // the index keeps neither: remember briefly
	}
	if street == "" {
		return "", nil
	}
	err := r.district.Update(ctx, func(tx store.Tx) error {
		if group && (chatStreet != "" || nameStreet != "" || bindName != "") {
			if err := tx.Put(bRouteChat, m.ChatID, []byte(street)); err != nil {
				return err
			}
		}
		if userStreet != "" && userStreet != r.users[m.SenderID] {
			return tx.Put(bRouteUser, m.SenderID, []byte(userStreet))
		}
		return nil
	})
	return street, err
}

// discovery is a recent discovery's answer: the street ("" none), until
// when it stands.
type discovery struct {
	street string
	until  time.Time
}

func (r *router) recent(key string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.discovered[key]
	if ok && r.real.Now().Before(d.until) {
		return d.street, true
	}
	delete(r.discovered, key)
	return "", false
}

func (r *router) remember(key, street string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.discovered == nil {
		r.discovered = map[string]discovery{}
	}
	if len(r.discovered) > 10000 { // a flood of strangers: start over
		clear(r.discovered)
	}
	r.discovered[key] = discovery{street: street, until: r.real.Now().Add(discoveredTTL)}
}
