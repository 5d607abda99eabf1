import CoreRecon
import CoreReconStore
import Foundation
import Logging
import ServiceLifecycle

/// Pulls the indicator feeds that have a schedule (`ioc feed add --every`) when they are due. Several servers
/// can run it: a pull claims its feed in the database, so each due pull happens once.
public struct FeedScheduler: Service {
    let services: AppServices
    let interval: Duration

    public init(services: AppServices, interval: Duration = .seconds(60)) {
        self.services = services
        self.interval = interval
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pullDue()
                try await Task.sleep(for: interval)
            }
        }
    }

    func pullDue() async {
        let feeds: [FeedSubscription]
        do {
            feeds = try await services.feeds.due()
        } catch {
            services.logger.warning("Cannot read the indicator feeds", metadata: ["error": "\(error)"])
            return
        }
        for feed in feeds where !Task.isCancelled {
            do {
                let result = try await services.feeds.pull(named: feed.name, actor: "serve")
                services.logger.info(
                    "Pulled indicator feed",
                    metadata: [
                        "feed": "\(feed.name)", "fetched": "\(result.fetched)", "new": "\(result.summary.new)",
                        "updated": "\(result.summary.updated)", "rejected": "\(result.summary.rejected)",
                        "retroMatches": "\(result.summary.retroMatches ?? 0)",
                    ])
            } catch CoreReconError.conflict {
                // Another server is pulling it.
            } catch {
                services.logger.warning(
                    "Indicator feed pull failed", metadata: ["feed": "\(feed.name)", "error": "\(error)"])
            }
        }
    }
}
