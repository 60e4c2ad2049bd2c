// Package config reads and checks firebot's YAML configuration: one file for
// one street, or a district file with one file per street.
//
// Parse turns the bytes of a file into a Config and a list of Problems. Every
// problem names the file, the line when known, the key path (with 0-based
// indexes) and says what is wrong in Chinese:
//
//	config.yaml:12: units[3].category: 未知类别 "医院"（可选：学校、医疗机构、…）
//
// Parsing never stops at the first mistake: a file with ten typos reports ten
// problems. Unknown keys are problems too, so a misspelt key cannot silently
// fall back to its default.
//
// The library never reads files or the environment by itself: Parse takes the
// file name, its bytes and a getenv function. Load and LoadDistrict are the
// conveniences main uses (they read the files and use os.Getenv). Secrets from the environment (FIREBOT_*)
// win over the file; secret fields have type Secret, which prints as "***"
// everywhere (fmt, JSON, YAML, slog), so a config can be logged safely.
//
// Times in the file are RFC 3339, "2023-10-27 17:00" or a bare date
// "2023-10-28", all in the configured timezone; a bare date is 23:59:59 of
// that day for deadlines and period ends and 00:00 for everything else.
// Durations are Go durations ("30m", "6h") or whole days ("180d").
//
// # Districts
//
// LoadDistrict reads a whole deployment. A district file names the district
// (district: {id, name}), its staff (district_users) and chats
// (district_chats), where its street files are (streets_dir, or a streets
// list), and the sections every street shares (SharedKeys: server, timezone,
// wecom, store, media, dialog, outbox, privacy). Each street file has the
// street's own sections (StreetKeys: street, access, campaign, units,
// reminders, nominations). Every District.Streets[i].Config is complete — the
// street's sections from its file, the shared ones from the district file —
// so code written for one street's *Config runs per street unchanged.
//
// A lone file, like config.example.yaml, is a district of one (Single): no
// district id, staff or chats, and one street whose id is usually empty,
// which keeps the store layout of a single-street deployment.
//
// Problems keep naming the file they are in: a street file's problems name
// the street file. Some can only be seen across files and are reported in
// the later file, naming the earlier place: a street id used twice, a group
// chat or a user in two streets (a chat or user belongs to one street, or to
// the district), a shared section written in a street file ("该项只能写在区级
// 配置里") or a street's section in the district file.
package config
