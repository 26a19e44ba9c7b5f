"""Small bundled word lists for the language rule (LANG-01, spec §2.3): is a product name or an
ingredient written in English only?

Mandatory content must be in Bahasa Indonesia; other languages only in addition, and foreign
words only where Indonesia has none or for technical and scientific names. The lists cover the
words UMKM labels use (food, ingredients, crafts, packaging); they are data for trainers to
review, not a dictionary. Loanwords that Indonesian uses as its own ("premium", "robusta",
"original", "brownies") are NEUTRAL: they count for neither language.
"""
from __future__ import annotations

#: English words with an everyday Indonesian equivalent (spelled differently in Indonesian).
ENGLISH = frozenset("""
wheat flour sugar salt oil palm water milk egg eggs butter cheese cream chocolate cocoa coffee tea
rice corn maize cassava banana bananas pineapple mango coconut peanut peanuts nut nuts almond almonds
cashew cashews walnut soybean soybeans soy soya shrimp prawn prawns fish chicken beef pork meat
garlic onion onions shallot shallots chili chilli chilies chillies pepper black white red green
yellow brown sweet spicy hot sour salty savory savoury crispy crunchy fried baked roasted grilled
dried smoked fresh powder powdered ground whole sliced chopped flavor flavour flavored flavoured
honey ginger turmeric galangal lemongrass cinnamon clove cloves nutmeg vanilla tamarind lime lemon
orange strawberry grape grapes apple apples potato potatoes sweetpotato taro yam jackfruit durian
papaya guava avocado leaf leaves seed seeds bean beans green peas sesame starch tapioca syrup
vinegar yeast gelatin oats barley rye malt caramel candy cake cakes cookie cookies biscuit
biscuits bread crackers cracker chips chip snack snacks drink drinks juice beverage sauce paste
jam jelly pickle pickles instant herbal herb herbs spice spices seasoning blend mix mixed with
and of the in for from natural pure real homemade handmade traditional bag bags basket woven
wooden wood bamboo leather cloth fabric bottle jar box pouch net weight contents ingredients
ingredient best before expiry date made by produced store keep cool dry place after opening
vegetable vegetables fruit fruits cereal grain grains flakes noodle noodles soup sticks stick
roll rolls ball balls cube cubes slice slices sugarless unsalted salted low fat free
skim whipping glucose fructose dextrose frozen crumbs toasted sausage meatball dumpling dumplings
seaweed mushroom mushrooms spinach carrot cabbage tomato cucumber lettuce corn flakes oatmeal
""".split())

#: Indonesian words (and common regional food words) a Jombang label uses.
INDONESIAN = frozenset("""
tepung terigu beras ketan jagung tapioka sagu maizena gula pasir merah aren kelapa jawa palem garam
minyak sawit goreng kelapa air susu bubuk kental manis telur ayam bebek puyuh mentega margarin keju
krim cokelat coklat kakao kopi teh bubuk daun beras nasi singkong ubi ketela talas kentang pisang
nanas mangga nangka durian pepaya jambu alpukat jeruk nipis lemon stroberi anggur apel salak sirsak
kacang tanah mete mede almon kenari kedelai kedele hijau merah tolo wijen biji kuaci udang ikan teri
cumi rajungan kepiting ayam sapi kambing daging bawang putih merah bombai cabai cabe rawit lada
merica ketumbar kunyit jahe lengkuas kencur serai sereh kayu manis cengkih cengkeh pala vanili asam
jawa kecap saus sambal bumbu rempah penyedap perisa rasa pedas gurih asin manis asam renyah goreng
panggang bakar kukus rebus kering basah segar asli murni alami tradisional khas oleh buatan rumah
keripik kripik kerupuk krupuk rengginang peyek rempeyek emping opak lanting marning kacang sale
dodol jenang wajik getuk gethuk tiwul gatot lapis bolu kue kering basah roti pia bakpia onde
klepon lemper wingko lumpia tahu tempe pecel rujak lodeh rawon soto bakso pentol mi mie bihun
soun sohun lontong ketupat serundeng abon dendeng rendang gudeg oseng sayur sayuran buah buahan
minuman serbuk jamu beras kencur temulawak wedang uwuh bajigur sekoteng sirup madu hutan lebah
tawon kelulut gula semut permen manisan asinan acar selai jeli puding agar cincau
tas dompet tikar anyaman pandan mendong bambu rotan eceng gondok kayu ukir batik tenun kain
sarung tulis cap kerajinan tangan gerabah tanah liat keramik sulam rajut manik hiasan dinding
vas pot lampu kotak keranjang bakul tampah caping kipas sandal sepatu boneka mainan
isi bersih berat bebas tanpa pengawet pewarna dengan dan atau untuk dari dalam varian original
ukuran kecil besar sedang mini jumbo spesial istimewa super campur rasa aneka
bahan komposisi baik digunakan sebelum simpan tempat sejuk setelah dibuka diproduksi oleh
kemasan bungkus sachet lembar biji butir buah potong keping batang
usus lele santan seledri jintan ragi instan tape brem hitam kaldu parut beryodium makanan stik
sabun rajut besek aren cair klanceng tenggiri semprit kentang wortel kubis tomat timun jamur
bayam rumput laut sosis kerang lorjuk bandeng mujair nila gabus kemangi
""".split())

#: Loanwords Indonesian labels use as their own: they count for neither language.
NEUTRAL = frozenset("""
premium original robusta arabika arabica liberika excelsa super spesial special extra ekstra mini
jumbo brownies brownis nastar kastengel choco pizza burger donat donut pudding yogurt yoghurt
mozzarella cheddar matcha chiffon balado barbeque bbq
""".split())
