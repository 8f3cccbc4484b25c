package io.tms.agent.seed;

import java.util.List;

/** Word lists the generator draws realistic names from (US Gulf Coast / Central flavour). */
final class SeedNames {
  private SeedNames() {}

  /** Terminal towns; every one is in the US Central time zone. */
  static final List<String> CITIES = List.of(
      "Pasadena", "Baytown", "Galena Park", "Beaumont", "Port Arthur", "Corpus Christi", "Texas City",
      "Tulsa", "Wichita", "Des Moines", "Memphis", "Baton Rouge", "Lake Charles", "Waco", "Abilene");

  static final List<String> PLACES = List.of(
      "Brazos", "Trinity", "Sabine", "Pecos", "Red River", "Gulf Coast", "Lone Star", "Bluebonnet",
      "Cypress Creek", "Big Thicket", "Coastal Bend", "Hill Country", "Panhandle", "Rio Grande",
      "Prairie", "Piney Woods", "Bayou City", "Galveston Bay", "Cross Timbers", "Llano", "Guadalupe",
      "Neches", "Angelina", "San Jacinto", "Colorado River", "Blackland", "Caprock", "Permian",
      "Texoma", "Ozark", "Arkansas Valley", "Cimarron", "Sulphur Springs", "Caddo", "Atchafalaya");

  static final List<String> CARRIER_SUFFIXES = List.of(
      "Transport", "Tank Lines", "Trucking", "Petroleum Carriers", "Fuel Haulers", "Logistics", "Express");

  static final List<String> FIRST_NAMES = List.of(
      "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph", "Thomas", "Charles",
      "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua",
      "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald", "Jason", "Edward", "Jeffrey", "Ryan",
      "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon",
      "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
      "Maria", "Jose", "Juan", "Luis", "Carlos", "Miguel", "Ana", "Rosa", "DeShawn", "Tyrone", "Keisha");

  static final List<String> LAST_NAMES = List.of(
      "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
      "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
      "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
      "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
      "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
      "Guerrero", "Tran", "Washington", "Broussard", "Thibodeaux", "Landry", "Hebert", "Kowalski", "Schulz");
}
