// Package bind is the conversation feature that ties a WeCom group to the
// roster units it reports for.
//
// Commands (group chats, unit officers and office staff):
//
//   - 绑定 <单位名> binds the group to a unit, matched by name or id,
//     fuzzily: an exact match binds at once; a close one opens the 绑定
//     dialog, which asks to 确认 (one candidate) or which one (several).
//   - 解绑 [单位名] removes a binding (the name may be left out when the
//     group has one unit).
//
// Only an officer of the unit, or office staff, may bind or unbind it; an
// office chat (access.office_chats) is never bound. Every refusal and
// every change is audited ("bind", "unbind"). These are rare commands, so
// reading the whole roster is fine here.
//
// Register Commands and Flows on the router (service/commands.go).
package bind
