/// Placeholder until the Sentinel mapping lands.
public enum SentinelMapper: AlertMapper {
    public static func recognizes(_ record: JSONValue) -> Bool { false }

    public static func map(_ record: FieldReader) throws(MappingError) -> MappedAlert {
        throw MappingError("not implemented")
    }
}
