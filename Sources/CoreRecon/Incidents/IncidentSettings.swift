import Foundation

/// How incidents are assigned and which task templates they start with.
public struct IncidentSettings: Sendable, Equatable {
    /// Who gets a new incident created without an assignee.
    public enum Assignment: String, Sendable, CaseIterable {
        /// Nobody: it waits unassigned.
        case none
        /// The analysts in turn: the one after whoever got the previous automatically assigned incident.
        case roundRobin = "round_robin"
        /// The analyst with the fewest open incidents; ties go to the one listed first.
        case leastOpen = "least_open"
    }

    public var assignment: Assignment = .none
    /// The analysts automatic assignment chooses from, in order.
    public var analysts: [String] = []
    /// A playbook file or directory (`incidents.taskTemplates`); nil for none.
    public var taskTemplatesPath: String?

    public init(assignment: Assignment = .none, analysts: [String] = [], taskTemplatesPath: String? = nil) {
        self.assignment = assignment
        self.analysts = analysts
        self.taskTemplatesPath = taskTemplatesPath
    }

    /// Chooses the assignee for a new incident, or nil under `none` or without analysts.
    func chooseAssignee(lastAutoAssignee: String?, openCounts: [String: Int]) -> String? {
        guard !analysts.isEmpty else { return nil }
        switch assignment {
        case .none:
            return nil
        case .roundRobin:
            guard let last = lastAutoAssignee, let index = analysts.firstIndex(of: last) else { return analysts[0] }
            return analysts[(index + 1) % analysts.count]
        case .leastOpen:
            return analysts.min { (openCounts[$0] ?? 0) < (openCounts[$1] ?? 0) }
        }
    }
}
