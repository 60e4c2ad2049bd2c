// Package mute is the conversation feature 免打扰 (mute a group's
// reminders) and 恢复提醒 (unmute them): two group commands for the
// officers of a unit the group is bound to and for office staff, both
// audited (AuditMute, AuditUnmute). It has no dialog.
//
// The mute itself is the reminders' state and stays in scheduler
// (scheduler.Mute, Unmute, Muted; scheduler.MuteStatus is the line 进度
// shows in a group, handed to the router as handlers.Options.GroupStatus).
// This package only turns the commands into those calls and their
// replies, so scheduler does not import the conversation layer.
//
// Register it with the router's other commands (service/commands.go):
//
//	for _, c := range mute.Commands() {
//		r.Register(c)
//	}
package mute
