/// Placeholder until the CrowdStrike mapping lands.
public enum CrowdStrikeMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool { false }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        throw MappingError("not implemented")
    }
}
