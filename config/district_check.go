package config

import (
	"fmt"
	"strconv"
)

// place is where an id was first written: in a street, or (street nil) in
// the district file.
type place struct {
	street *Street
	file   string
	line   int
}

func (p place) String() string {
	if p.line == 0 {
		return p.file
	}
	return p.file + ":" + strconv.Itoa(p.line)
}

// index checks what no single file can: street ids are unique and differ
// from the district's, and a group
// chat or a user belongs to one street only, or to the district. Users are
// the streets' office users and units' officers, chats the office chats and
// units' chats; a district user or chat may not appear in any street. It
// builds the chat and user lookups as it goes and returns the problems, each
// in the file of the later occurrence and naming the earlier one.
func (dist *District) index() []Problem {
	var out []Problem
	chats, users := map[string]place{}, map[string]place{}
	for i, u := range dist.Users {
		if _, dup := users[u]; !dup && u != "" {
			users[u] = place{file: dist.File, line: dist.Shared.Line(index("district_users", i))}
		}
	}
	for i, c := range dist.Chats {
		if _, dup := chats[c.ID]; !dup && c.ID != "" {
			chats[c.ID] = place{file: dist.File, line: dist.Shared.Line(index("district_chats", i) + ".id")}
		}
	}
	ids := map[string]*Street{}
	for _, s := range dist.Streets {
		cfg := s.Config
		if !dist.Single && s.ID == dist.ID {
			// The district keeps data of its own (callbacks not yet in a
			// street); it must not share a name with a street's.
			out = append(out, Problem{File: s.File, Line: cfg.Line("street.id"), Path: "street.id",
				Msg: fmt.Sprintf("街道 id %q 与区的 id 相同：请换一个", s.ID)})
		}
		if prev, dup := ids[s.ID]; dup {
			out = append(out, Problem{File: s.File, Line: cfg.Line("street.id"), Path: "street.id",
				Msg: fmt.Sprintf("街道 id %q 与 %s 重复：每个街道的 id 必须不同", s.ID, prev.File)})
		} else {
			ids[s.ID] = s
		}
		mine := map[string]bool{} // ids this street has claimed or been refused
		claim := func(taken map[string]place, what, id, path string) {
			if id == "" || mine[what+id] {
				return
			}
			mine[what+id] = true
			here := place{street: s, file: s.File, line: cfg.Line(path)}
			prev, dup := taken[id]
			if !dup {
				taken[id] = here
				return
			}
			msg := fmt.Sprintf("%s %q 属于区级（%s），不能同时属于街道", what, id, prev)
			if prev.street != nil {
				msg = fmt.Sprintf("%s %q 已属于%s（%s）：一个%s只能属于一个街道", what, id, prev.street.label(), prev, what)
			}
			out = append(out, Problem{File: s.File, Line: here.line, Path: path, Msg: msg})
		}
		for i, u := range cfg.Access.OfficeUsers {
			claim(users, "用户", u, index("access.office_users", i))
		}
		for i, c := range cfg.Access.OfficeChats {
			claim(chats, "群聊", c.ID, index("access.office_chats", i)+".id")
		}
		for i, u := range cfg.Units {
			for j, o := range u.Officers {
				claim(users, "用户", o, index(index("units", i)+".officers", j))
			}
			for j, c := range u.Chats {
				claim(chats, "群聊", c.ID, index(index("units", i)+".chats", j)+".id")
			}
		}
	}
	dist.chatOwner = owners(chats)
	dist.userOwner = owners(users)
	return out
}

func owners(m map[string]place) map[string]*Street {
	out := make(map[string]*Street, len(m))
	for id, p := range m {
		out[id] = p.street
	}
	return out
}

// label names a street for people: its name, or its id.
func (s *Street) label() string {
	if s.Name != "" {
		return s.Name
	}
	return "街道 " + s.ID
}

// StreetOfChat returns the street a group chat belongs to: one of its office
// chats or a unit's chat. ok is false for a district chat and an unknown one.
func (dist *District) StreetOfChat(chatID string) (s *Street, ok bool) {
	s = dist.chatOwner[chatID]
	return s, s != nil
}

// StreetOfUser returns the street a user belongs to: one of its office users
// or a unit's officer. ok is false for a district user and an unknown one.
func (dist *District) StreetOfUser(userID string) (s *Street, ok bool) {
	s = dist.userOwner[userID]
	return s, s != nil
}

// IsDistrictUser reports whether userID is one of district_users.
func (dist *District) IsDistrictUser(userID string) bool {
	s, ok := dist.userOwner[userID]
	return ok && s == nil
}

// IsDistrictChat reports whether chatID is one of district_chats.
func (dist *District) IsDistrictChat(chatID string) bool {
	s, ok := dist.chatOwner[chatID]
	return ok && s == nil
}

// Street returns the street with the given id.
func (dist *District) Street(id string) (*Street, bool) {
	for _, s := range dist.Streets {
		if s.ID == id {
			return s, true
		}
	}
	return nil, false
}
