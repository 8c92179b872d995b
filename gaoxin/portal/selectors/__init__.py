"""What each role's home page (工作台) shows, one module per desk: leader, department (staff
and steward), window (clerk and reviewer), clients (agent and enterprise), talent
(commissioner), configuration (administrator). Each desk is read from the domains' models,
selectors and rule modules (lights, clocks); counts open their lists (tiles)."""

from gaoxin.portal.selectors.clients import agent_desk, enterprise_desk
from gaoxin.portal.selectors.configuration import admin_desk
from gaoxin.portal.selectors.department import (
    meeting_tasks,
    problems_to_handle,
    reports_due,
    staff_desk,
    steward_desk,
)
from gaoxin.portal.selectors.leader import leader_desk, year_figures
from gaoxin.portal.selectors.liaison import liaison_block
from gaoxin.portal.selectors.talent import commissioner_desk
from gaoxin.portal.selectors.tiles import Tile, link
from gaoxin.portal.selectors.window import clerk_desk, is_reviewer, review_queue, reviewer_desk

__all__ = [
    "Tile",
    "admin_desk",
    "agent_desk",
    "clerk_desk",
    "commissioner_desk",
    "enterprise_desk",
    "is_reviewer",
    "leader_desk",
    "liaison_block",
    "link",
    "meeting_tasks",
    "problems_to_handle",
    "reports_due",
    "review_queue",
    "reviewer_desk",
    "staff_desk",
    "steward_desk",
    "year_figures",
]
