/// The version of this corerecon: `corerecon --version`, and the `CoreRecon-Version` header of the server's answers
/// and the client's requests.
public enum CoreReconVersion {
    public static let current = "0.1.0"
}
